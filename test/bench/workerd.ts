import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Log, LogLevel, Miniflare, convertV4MiniflareOptions, type V4MiniflareOptions } from "miniflare";
import { vapidKeys } from "../../scripts/vapid-keys.mjs";

/**
 * Runs the Worker in workerd directly, the way production runs it (one bundle, built by wrangler), with
 * requests going straight to workerd's own socket: no `wrangler dev` proxy in front, whose Node process caps
 * a trivial route near 800 requests/s on this machine. Storage lives in a temporary folder, removed at stop.
 */
export interface Workerd {
	url: string;
	/** The workerd process, for its CPU time and memory. */
	pid: number;
	adminToken: string;
	/** Events the consumer has archived in D1 so far (the bench waits for this to settle between phases). */
	archivedEvents(): Promise<number>;
	stop(): Promise<void>;
}

const root = path.join(import.meta.dirname, "../..");

function build(outdir: string): string {
	const result = spawnSync("npx", ["wrangler", "deploy", "--dry-run", "--outdir", outdir], {
		cwd: root,
		encoding: "utf8",
	});
	if (result.status !== 0) throw new Error(`wrangler build failed:\n${result.stdout}\n${result.stderr}`);
	return path.join(outdir, "index.js");
}

/** The workerd child of this process (Miniflare starts exactly one). */
function workerdPid(): number {
	for (const entry of readdirSync("/proc")) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
			const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
			if (Number(fields[1]) === process.pid && stat.includes("(workerd)")) return Number(entry);
		} catch {
			// the process ended while we looked
		}
	}
	throw new Error("workerd process not found");
}

/**
 * Each WebSocket holds more than one file descriptor in workerd, so 10,000 sockets need more than the usual limit
 * (20,000 on this machine). Raising a process's hard limit needs CAP_SYS_RESOURCE, which a container may not
 * have; then the limit stays and the bench's fan-out stays below it.
 */
let warnedAboutFiles = false;
function raiseOpenFiles(pid: number): void {
	const result = spawnSync("prlimit", [`--pid=${pid}`, "--nofile=100000:100000"], { encoding: "utf8" });
	if (result.status !== 0 && !warnedAboutFiles) {
		warnedAboutFiles = true;
		process.stderr.write(`workerd keeps its open-file limit (${(result.stderr || String(result.error)).trim()})\n`);
	}
}

/** D1 migrations, in the order drizzle-kit numbered them, as statements. */
function migrationStatements(): string[] {
	const dir = path.join(root, "drizzle/migrations");
	return readdirSync(dir)
		.filter((file) => file.endsWith(".sql"))
		.sort()
		.flatMap((file) => readFileSync(path.join(dir, file), "utf8").split("--> statement-breakpoint"))
		.map((statement) => statement.trim())
		.filter(Boolean);
}

export async function startWorkerd(options: {
	meter: boolean;
	inspectorPort?: number;
	stateIn?: string;
	consumer?: boolean;
	/**
	 * Also serve the built front end (apps/web/build) as the Worker's assets, in front of the Worker as
	 * Cloudflare serves them: files answered by the assets router, /api/* passed to the Worker.
	 */
	assets?: boolean;
}): Promise<Workerd> {
	const work = mkdtempSync(path.join(options.stateIn ?? tmpdir(), "edgepresso-bench-"));
	const script = build(path.join(work, "build"));
	// Quiet: wrangler would announce the .dev.vars secrets, which the bench replaces with its own.
	process.env.WRANGLER_LOG ??= "error";
	const { unstable_getMiniflareWorkerOptions } = await import("wrangler");
	const { workerOptions } = unstable_getMiniflareWorkerOptions(path.join(root, "wrangler.toml"));
	// The API only, unless asked: static assets are served by Cloudflare before any Worker runs, and are free.
	// The bundle is one module, so wrangler's module rules have nothing left to do.
	const { assets, modulesRules: _rules, rootPath: _root, ...bindings } = workerOptions;
	if (options.assets) Object.assign(bindings, { assets });
	// Without the consumer, events wait in the queue: the request path alone, for diagnosis.
	if (options.consumer === false) delete bindings.queueConsumers;
	const adminToken = `bench-${randomBytes(12).toString("hex")}`;
	const worker = {
		...bindings,
		name: "edgepresso",
		// Requests go straight to this Worker's own socket, not through Miniflare's entry worker, which would
		// add a hop (and a file descriptor per WebSocket) that production does not have.
		unsafeDirectSockets: [{ host: "127.0.0.1", port: 0 }],
		modules: true,
		scriptPath: script,
		modulesRoot: path.dirname(script),
		bindings: {
			...(bindings.bindings as Record<string, unknown>),
			SESSION_SECRET: randomBytes(32).toString("base64url"),
			ADMIN_TOKEN: adminToken,
			...vapidKeys(),
			METER: options.meter ? "on" : "off",
			// The load comes from this machine: the per-IP flood limits must not throttle it.
			RATE_LIMIT_EXEMPT_IPS: "127.0.0.1,::1,::ffff:127.0.0.1",
		},
	};
	// wrangler still speaks Miniflare's v4 options; Miniflare 5 converts them.
	const mf = new Miniflare(
		convertV4MiniflareOptions(<V4MiniflareOptions>{
			host: "127.0.0.1",
			port: 0,
			...(options.inspectorPort ? { inspectorPort: options.inspectorPort } : {}),
			resourcePersistencePath: path.join(work, "state"),
			log: new Log(LogLevel.ERROR),
			workers: [worker],
		}),
	);
	const entry = await mf.ready;
	// With the front end, through Miniflare's entry worker (inside workerd): it compresses responses as
	// Cloudflare's edge does, and the phone's figures are mostly bytes.
	const url = (options.assets ? entry : await mf.unsafeGetDirectURL("edgepresso")).toString().replace(/\/$/, "");
	const pid = workerdPid();
	raiseOpenFiles(pid);
	const db = await mf.getD1Database("DB");
	for (const statement of migrationStatements()) await db.exec(statement.replace(/\s*\n\s*/g, " "));
	return {
		url,
		pid,
		adminToken,
		async archivedEvents() {
			return (await db.prepare("SELECT count(*) AS n FROM order_events").first<{ n: number }>())!.n;
		},
		async stop() {
			await mf.dispose();
			rmSync(work, { recursive: true, force: true });
		},
	};
}
