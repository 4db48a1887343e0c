import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { vapidKeys } from "./scripts/vapid-keys.mjs";

const migrations = await readD1Migrations(path.join(import.meta.dirname, "drizzle/migrations"));

// Secrets for a run without .dev.vars (CI). Where .dev.vars exists the plugin reads it instead of these,
// so tests take secrets from `env`, never from here.
process.env.SESSION_SECRET = "test-session-secret-0123456789abcdef";
process.env.ADMIN_TOKEN = "test-admin-token";
// A fresh Web Push key pair per run, in the format production uses.
Object.assign(process.env, vapidKeys());

export default defineConfig({
	plugins: [
		cloudflareTest({
			wrangler: { configPath: "./wrangler.toml" },
			miniflare: {
				// The cost meter (workers/meter.ts) is on in every test: test/meter.test.ts reads it, and the rest of the
				// suite shows that counting changes no behaviour.
				bindings: {
					TEST_MIGRATIONS: migrations,
					METER: "on",
					RATE_LIMIT_EXEMPT_IPS: "198.51.100.1",
					BOARD_SOCKETS_PER_NETWORK: "5",
					PUSH_SERVICE_HOSTS: "push.receiver.test,*.push.example.test",
					// Webhook retries at once and few of them, so the dead-letter path is watched in a test.
					WEBHOOK_ATTEMPTS: "3",
					WEBHOOK_RETRY_UNIT_SECONDS: "0",
					// The randomized run's length and seed (npm run test:long makes it long).
					RANDOM_STEPS: process.env.RANDOM_STEPS ?? "300",
					...(process.env.RANDOM_SEED ? { RANDOM_SEED: process.env.RANDOM_SEED } : {}),
				},
				// The per-IP limits are sized for a venue's shared address; tests flood them with a few dozen requests.
				ratelimits: {
					SESSIONS_PER_IP: { namespace_id: "1001", simple: { limit: 40, period: 10 } },
					SCANS_PER_IP: { namespace_id: "1002", simple: { limit: 40, period: 10 } },
				},
				// Deliver queued events quickly so tests can watch the projection happen.
				// Two retries (production: five) so the dead-letter path can be watched in a test. Webhook deliveries count
				// their own attempts (WEBHOOK_ATTEMPTS).
				queueConsumers: {
					"edgepresso-events": { maxBatchTimeout: 0.05, maxRetries: 2, deadLetterQueue: "edgepresso-events-dlq" },
					"edgepresso-events-dlq": { maxBatchTimeout: 0.05 },
					"edgepresso-webhooks": { maxBatchTimeout: 0.05, maxRetries: 10 },
				},
			},
		}),
	],
	test: {
		include: ["test/**/*.test.ts"],
		setupFiles: ["./test/apply-migrations.ts"],
		// Hang detectors only: no test waits on a clock (test/until.ts polls its condition with no deadline), and a
		// big scenario (test/burst.test.ts: 3,000 attendees) took over 10 minutes on the 2-core machine shared by
		// five suites. A test that runs past 20 minutes is stuck, not slow.
		testTimeout: 1_200_000,
		hookTimeout: 1_200_000,
		teardownTimeout: 120_000,
	},
});
