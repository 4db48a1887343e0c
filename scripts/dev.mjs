import { spawn, spawnSync } from "node:child_process";
import { ensureDevVars } from "./dev-vars.mjs";
import { demoStore } from "./demo-store.mjs";

/**
 * `npm run dev`: local secrets, the front end's build, D1 migrations, then wrangler dev (workerd with Durable
 * Objects, D1, Queues and the front end's files all local), then a demo store seeded through the API, then
 * the URLs to open.
 */
const port = Number(process.env.PORT ?? 8787);
const origin = `http://localhost:${port}`;
const vars = ensureDevVars();

function run(command, args, env = process.env) {
	const result = spawnSync(command, args, { stdio: "inherit", env });
	if (result.status !== 0) process.exit(result.status ?? 1);
}

/**
 * Turnstile is off unless .dev.vars has TURNSTILE_SECRET_KEY (and TURNSTILE_SITE_KEY for the page): the
 * build takes the site key, and the secret goes to wrangler as a var (its `[secrets]` list loads only the
 * required ones from .dev.vars).
 */
const turnstile = Boolean(vars.TURNSTILE_SECRET_KEY);
run("npm", ["run", "web:build"], vars.TURNSTILE_SITE_KEY ? { ...process.env, TURNSTILE_SITE_KEY: vars.TURNSTILE_SITE_KEY } : process.env);
run("npx", ["wrangler", "d1", "migrations", "apply", "DB", "--local"]);

// Loopback is exempt from the per-IP rate limits, so the robot and the benchmarks can run at full speed here.
const wranglerArgs = ["wrangler", "dev", "--port", String(port), "--show-interactive-dev-session=false", "--var", "RATE_LIMIT_EXEMPT_IPS:127.0.0.1,::1"];
if (turnstile) wranglerArgs.push("--var", `TURNSTILE_SECRET_KEY:${vars.TURNSTILE_SECRET_KEY}`);
// Its own process group, so stopping `npm run dev` stops wrangler and workerd with it (npx does not pass
// signals on).
const dev = spawn("npx", wranglerArgs, {
	stdio: "inherit",
	detached: true,
	env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
});
for (const signal of ["SIGINT", "SIGTERM"]) {
	process.on(signal, () => {
		try {
			process.kill(-dev.pid, signal);
		} catch {
			// already gone
		}
	});
}
dev.on("exit", (code) => process.exit(code ?? 0));

async function waitForHealth() {
	for (let i = 0; i < 240; i++) {
		try {
			if ((await fetch(`${origin}/api/health`)).ok) return;
		} catch {
			// not up yet
		}
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	throw new Error(`${origin} did not come up`);
}

await waitForHealth();
const seeded = await fetch(`${origin}/api/stores`, {
	method: "POST",
	headers: { authorization: `Bearer ${vars.ADMIN_TOKEN}`, "content-type": "application/json" },
	body: JSON.stringify(demoStore),
});
const outcome = seeded.status === 201 ? "created" : seeded.status === 409 ? "already there" : `not created (${seeded.status} ${await seeded.text()})`;

console.log(`
  edgepresso is running at ${origin}

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
