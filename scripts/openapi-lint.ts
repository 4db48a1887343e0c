import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import { startSystem } from "../test/e2e/system";

/**
 * `npm run openapi:lint`: the OpenAPI document the Worker serves, checked by tools that are not ours: the
 * OpenAPI 3.1 schema (@seriousme/openapi-schema-validator) and Redocly's recommended rules (redocly.yaml).
 * Either finding anything fails the run.
 */

const repo = path.resolve(import.meta.dirname, "..");
const system = await startSystem();
// Where .redocly.lint-ignore.yaml expects it, and kept for a look when the lint fails.
const file = path.join(repo, "test-results/openapi.json");
mkdirSync(path.dirname(file), { recursive: true });
let failed = false;
try {
	const response = await fetch(`${system.origin}/api/openapi.json`);
	if (response.status !== 200) throw new Error(`GET /api/openapi.json answered ${response.status}`);
	const document = (await response.json()) as Parameters<Validator["validate"]>[0];
	writeFileSync(file, JSON.stringify(document, null, 2));

	const schema = await new Validator().validate(document);
	if (schema.valid) console.log("OpenAPI 3.1 schema: valid");
	else {
		failed = true;
		console.error("OpenAPI 3.1 schema: invalid\n", JSON.stringify(schema.errors, null, 2));
	}

	const lint = spawnSync(
		path.join(repo, "node_modules/.bin/redocly"),
		["lint", file, "--config", path.join(repo, "redocly.yaml"), "--max-problems", "1000"],
		{
			cwd: repo,
			stdio: "inherit",
			env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
		},
	);
	if (lint.status !== 0) failed = true;
} finally {
	await system.stop();
}
process.exit(failed ? 1 : 0);
