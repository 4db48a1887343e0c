import { spawn } from "node:child_process";
import { createWriteStream, mkdirSync, readFileSync } from "node:fs";
import { networkInterfaces } from "node:os";
import path from "node:path";
import { ensureDevVars } from "./dev-vars.mjs";
import { demoStore } from "./demo-store.mjs";

/**
 * `npm run dev`: local secrets, the front end's build, D1 migrations, then wrangler dev (workerd with Durable
 * Objects, D1, Queues and the front end's files all local), then a demo store seeded through the API, then
 * the URLs to open. What the tools print (wrangler's banner, its request log, …) goes to a log file; the
 * terminal shows the steps and, last, the banner.
 *
 * `npm run dev -- --lan` (or LAN=1) serves the local network too: wrangler listens on every interface, and
 * the QR codes carry this machine's address on the network, so a phone on the same Wi-Fi can scan them.
 * PORT sets the port (8787); PUBLIC_ORIGIN, the origin the QR codes carry (an https tunnel's, for push).
 */
const port = Number(process.env.PORT ?? 8787);
const lan = process.argv.includes("--lan") || ["1", "true"].includes(process.env.LAN ?? "");
const local = `http://localhost:${port}`;
const vars = ensureDevVars();

/** The first IPv4 address of this machine that is not loopback: where phones on the network find it. */
function lanAddress() {
	const found = Object.values(networkInterfaces())
		.flat()
		.find((address) => address && address.family === "IPv4" && !address.internal);
	return found?.address ?? null;
}

const lanIp = lan ? lanAddress() : null;
if (lan && !lanIp) {
	console.error("--lan: this machine has no network address other than loopback (is it on a network?)");
	process.exit(1);
}
/** The origin people open, and that the QR codes carry. */
const origin = process.env.PUBLIC_ORIGIN || (lanIp ? `http://${lanIp}:${port}` : local);

const logFile = path.join(".wrangler", "dev.log");
mkdirSync(path.dirname(logFile), { recursive: true });
const log = createWriteStream(logFile);

/** Runs a step with its output in the log file; on failure, shows the end of the log and stops. */
function run(what, command, args, env = process.env) {
	process.stdout.write(`  ${what}…\n`);
	log.write(`\n$ ${command} ${args.join(" ")}\n`);
	return new Promise((resolve) => {
		const step = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
		step.stdout.pipe(log, { end: false });
		step.stderr.pipe(log, { end: false });
		step.on("exit", (code) => {
			if (code === 0) return resolve();
			log.end(() => {
				const tail = readFileSync(logFile, "utf8").split("\n").slice(-40).join("\n");
				console.error(`\n${what} failed (exit ${code}); the end of ${logFile}:\n\n${tail}`);
				process.exit(code ?? 1);
			});
		});
	});
}

/**
 * Turnstile is off unless .dev.vars has TURNSTILE_SECRET_KEY (and TURNSTILE_SITE_KEY for the page): the
 * build takes the site key, and the secret goes to wrangler as a var (its `[secrets]` list loads only the
 * required ones from .dev.vars).
 */
const turnstile = Boolean(vars.TURNSTILE_SECRET_KEY);
await run(
	"building the front end",
	"npm",
	["run", "web:build"],
	vars.TURNSTILE_SITE_KEY ? { ...process.env, TURNSTILE_SITE_KEY: vars.TURNSTILE_SITE_KEY } : process.env,
);
await run("applying D1 migrations", "npx", ["wrangler", "d1", "migrations", "apply", "DB", "--local"]);

// Loopback is exempt from the per-IP rate limits, so the robot and the benchmarks can run at full speed here.
const wranglerArgs = [
	"wrangler",
	"dev",
	"--port",
	String(port),
	"--show-interactive-dev-session=false",
	"--var",
	"RATE_LIMIT_EXEMPT_IPS:127.0.0.1,::1",
];
if (lan) wranglerArgs.push("--ip", "0.0.0.0");
if (origin !== local) wranglerArgs.push("--var", `PUBLIC_ORIGIN:${origin}`);
if (turnstile) wranglerArgs.push("--var", `TURNSTILE_SECRET_KEY:${vars.TURNSTILE_SECRET_KEY}`);
process.stdout.write("  starting wrangler dev…\n");
log.write(`\n$ npx ${wranglerArgs.join(" ")}\n`);
// Its own process group, so stopping `npm run dev` stops wrangler and workerd with it (npx does not pass
// signals on).
const dev = spawn("npx", wranglerArgs, {
	stdio: ["ignore", "pipe", "pipe"],
	detached: true,
	env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
});
dev.stdout.pipe(log, { end: false });
dev.stderr.pipe(log, { end: false });
for (const signal of ["SIGINT", "SIGTERM"]) {
	process.on(signal, () => {
		try {
			process.kill(-dev.pid, signal);
		} catch {
			// already gone
		}
	});
}
dev.on("exit", (code) => {
	if (code) console.error(`\nwrangler dev stopped (exit ${code}): see ${logFile}`);
	process.exit(code ?? 0);
});

async function waitForHealth() {
	for (let i = 0; i < 240; i++) {
		try {
			if ((await fetch(`${local}/api/health`)).ok) return;
		} catch {
			// not up yet
		}
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	throw new Error(`${local} did not come up: see ${logFile}`);
}

await waitForHealth();
const seeded = await fetch(`${local}/api/stores`, {
	method: "POST",
	headers: { authorization: `Bearer ${vars.ADMIN_TOKEN}`, "content-type": "application/json" },
	body: JSON.stringify(demoStore),
});
const outcome =
	seeded.status === 201
		? "created"
		: seeded.status === 409
			? "already there"
			: `not created (${seeded.status} ${await seeded.text()})`;

const tunnelHint = origin.startsWith("https:")
	? ""
	: `
  Notifications need https: \`cloudflared tunnel --url ${local}\` (docs/phone.md)`;
const network =
	origin !== local
		? `  On the network  ${origin}   (phones open it; the QR codes carry it)${tunnelHint}`
		: `  Only this machine can open it: \`npm run dev -- --lan\` serves phones on the same network`;

console.log(`
  edgepresso is running at ${local}
${network}
  Everything wrangler prints (and each request) goes to ${logFile}

  demo store '${demoStore.id}' ${outcome}
    barista PIN  ${demoStore.pins.barista}
    admin PIN    ${demoStore.pins.admin}
    display PIN  ${demoStore.pins.display}   (or pair the display from the barista tablet)
    admin token  ${vars.ADMIN_TOKEN}   (from .dev.vars)

  Turnstile    ${turnstile ? "on: a new attendee session needs a passed challenge" : "off: anyone can mint attendee sessions (set TURNSTILE_SECRET_KEY and TURNSTILE_SITE_KEY: docs/operations.md#turnstile)"}

  Order (phone)   ${origin}/order?store=${demoStore.id}   (to order: scan or click the display's QR code)
  Display (TV)    ${origin}/display?store=${demoStore.id}
  Barista         ${origin}/barista?store=${demoStore.id}
  Admin           ${origin}/admin?store=${demoStore.id}

  API             ${origin}/api/stores/${demoStore.id}
  OpenAPI         ${origin}/api/openapi.json

  Changing the front end? \`npm run web:dev\` serves it with hot reload on :5173, using this API.
  Walk an order through with curl: see "Try it" in README.md.
`);
