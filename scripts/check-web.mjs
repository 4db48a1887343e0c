import { spawnSync } from "node:child_process";
import path from "node:path";

/**
 * `npm run web:check`: svelte-check over the front end (apps/web). The web program also reaches the Worker's
 * sources through the typed API client (`hc<AppType>`), but sees them with browser types, where a few
 * Workers-only APIs do not exist; `tsc -p .` checks those files against the Workers runtime instead. So only
 * problems in the front end's own files are reported here.
 */
const workspace = path.join(import.meta.dirname, "../apps/web");
const result = spawnSync("svelte-check", ["--tsconfig", "tsconfig.json", "--output", "machine"], {
	cwd: workspace,
	encoding: "utf8",
	shell: process.platform === "win32",
});
if (result.error) throw result.error;

const problems = [];
for (const line of result.stdout.split("\n")) {
	const match = /^\d+ (ERROR|WARNING) "([^"]+)" (\d+:\d+) "(.*)"$/.exec(line);
	if (match && !match[2].startsWith(".."))
		problems.push(`${match[1]} apps/web/${match[2]}:${match[3]} ${JSON.parse(`"${match[4]}"`)}`);
}
if (result.status !== 0 && problems.length === 0 && !/COMPLETED/.test(result.stdout)) {
	process.stderr.write(result.stdout + result.stderr);
	process.exit(result.status ?? 1);
}
console.log(problems.length === 0 ? "web:check: no problems in apps/web" : problems.join("\n\n"));

// The service worker has its own tsconfig (WebWorker types, no DOM), which svelte-check does not read.
const worker = spawnSync("tsc", ["--noEmit", "-p", "src/service-worker/tsconfig.json"], {
	cwd: workspace,
	stdio: "inherit",
	shell: process.platform === "win32",
});
process.exit(problems.length === 0 && worker.status === 0 ? 0 : 1);
