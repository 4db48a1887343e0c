import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";

/**
 * `npm run test:e2e`: the browser suite, when Chromium and zbar are installed (`apt-get install chromium zbar-tools`).
 * Without it the suite is left out locally, but never in CI (`.ci/run` sets E2E_REQUIRED=1): there a
 * missing browser is a failure.
 */
const tools = [process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", "/usr/bin/zbarimg"];
const missing = tools.filter((tool) => !existsSync(tool));
if (missing.length > 0) {
	if (process.env.E2E_REQUIRED) {
		console.error(
			`The browser suite is required, but ${missing.join(" and ")} ${missing.length > 1 ? "are" : "is"} missing.`,
		);
		process.exit(1);
	}
	console.log(`Browser suite not run: ${missing.join(" and ")} not installed (apt-get install chromium zbar-tools).`);
	process.exit(0);
}
const result = spawnSync(
	"vitest",
	["run", "--config", path.join(import.meta.dirname, "vitest.config.ts"), ...process.argv.slice(2)],
	{
		stdio: "inherit",
		shell: process.platform === "win32",
	},
);
process.exit(result.status ?? 1);
