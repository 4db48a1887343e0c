import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

const migrations = await readD1Migrations(path.join(import.meta.dirname, "drizzle/migrations"));

// Tests never read .dev.vars: these are the only secrets they see.
process.env.SESSION_SECRET = "test-session-secret-0123456789abcdef";
process.env.ADMIN_TOKEN = "test-admin-token";

export default defineConfig({
	plugins: [
		cloudflareTest({
			wrangler: { configPath: "./wrangler.toml" },
			miniflare: {
				bindings: { TEST_MIGRATIONS: migrations },
				// Deliver queued events quickly so tests can watch the projection happen.
				queueConsumers: { "edgepresso-events": { maxBatchTimeout: 0.05 }, "edgepresso-events-dlq": { maxBatchTimeout: 0.05 } },
			},
		}),
	],
	test: {
		include: ["test/**/*.test.ts"],
		setupFiles: ["./test/apply-migrations.ts"],
		testTimeout: 30_000,
		hookTimeout: 30_000,
		teardownTimeout: 60_000,
	},
});
