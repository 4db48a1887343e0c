import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { ensureDevVars } from "../../scripts/dev-vars.mjs";

/**
 * The whole system, locally, as a tester would run it: `wrangler dev` (Worker, Durable Objects, D1, Queues,
 * and the built front end as static assets) on a free port, with its own secrets and a fresh state in a
 * temporary directory, so runs never share data with each other or with `npm run dev`.
 */

const repo = path.resolve(import.meta.dirname, "../..");
const wrangler = path.join(repo, "node_modules/.bin/wrangler");
/** What wrangler dev printed, kept for when a run fails. */
export const serverLog = path.join(repo, "test-results/e2e-wrangler.log");

export interface System {
	origin: string;
	adminToken: string;
	stop(): Promise<void>;
}

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once("error", reject);
		server.listen(0, "127.0.0.1", () => {
			const { port } = server.address() as { port: number };
			server.close(() => resolve(port));
		});
	});
}

/** Waits until wrangler dev answers, or exits; the suite's hook timeout notices one that does neither. */
async function waitForHealth(origin: string, dev: ChildProcess, log: () => string): Promise<void> {
	for (;;) {
		if (dev.exitCode !== null) throw new Error(`wrangler dev exited (${dev.exitCode}):\n${log()}`);
		try {
			if ((await fetch(`${origin}/api/health`)).ok) return;
		} catch {
			// not listening yet
		}
		await new Promise((resolve) => setTimeout(resolve, 300));
	}
}

export async function startSystem(): Promise<System> {
	const dir = mkdtempSync(path.join(tmpdir(), "edgepresso-e2e-"));
	const varsFile = path.join(dir, ".dev.vars");
	const vars = ensureDevVars(varsFile);
	const state = path.join(dir, "state");
	// CI=true: wrangler never prompts or checks for updates.
	const env = { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" };

	const migrate = spawnSync(wrangler, ["d1", "migrations", "apply", "DB", "--local", "--persist-to", state], {
		cwd: repo,
		env,
		encoding: "utf8",
	});
	if (migrate.status !== 0) throw new Error(`migrations failed:\n${migrate.stdout}\n${migrate.stderr}`);

	const [port, inspector] = [await freePort(), await freePort()];
	const origin = `http://127.0.0.1:${port}`;
	// Its own process group, so stopping it also stops the workerd processes it starts.
	const dev = spawn(
		wrangler,
		[
			"dev",
			"--ip",
			"127.0.0.1",
			"--port",
			String(port),
			"--inspector-port",
			String(inspector),
			"--persist-to",
			state,
			"--env-file",
			varsFile,
			"--log-level",
			"warn",
			// A webhook delivery that fails is dead at once, so the admin screen's dead letters show in a test.
			"--var",
			"WEBHOOK_ATTEMPTS:1",
		],
		{ cwd: repo, env, detached: true, stdio: ["ignore", "pipe", "pipe"] },
	);
	let output = "";
	mkdirSync(path.dirname(serverLog), { recursive: true });
	const log = createWriteStream(serverLog);
	for (const stream of [dev.stdout!, dev.stderr!]) {
		stream.on("data", (chunk) => {
			output += chunk;
			log.write(chunk);
		});
	}

	const stop = async () => {
		if (dev.exitCode === null && dev.pid) {
			const exited = new Promise((resolve) => dev.once("exit", resolve));
			process.kill(-dev.pid, "SIGTERM");
			await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
			if (dev.exitCode === null) process.kill(-dev.pid, "SIGKILL");
		}
		rmSync(dir, { recursive: true, force: true });
	};

	try {
		await waitForHealth(origin, dev, () => output);
	} catch (error) {
		await stop();
		throw error;
	}
	return { origin, adminToken: vars.ADMIN_TOKEN, stop };
}
