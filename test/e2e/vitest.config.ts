import path from "node:path";
import { defineConfig } from "vitest/config";

/**
 * The browser suite: headless Chromium against the whole system run by `wrangler dev` (see system.ts).
 * It runs in Node, not in workerd, so it has its own config; `npm run test:e2e` starts it.
 */
export default defineConfig({
	cacheDir: path.join(import.meta.dirname, "../../node_modules/.vite/e2e"),
	test: {
		root: import.meta.dirname,
		include: ["**/*.e2e.ts"],
		globalSetup: ["./global-setup.ts"],
		// One browser, one server: the scenarios run one after another.
		fileParallelism: false,
		// Hang detectors only: scenarios wait on what the screens show, never on a clock (Playwright's waits have no
		// deadline, see browser.ts), and take minutes on a loaded 2-core machine. `expect.poll` must have a limit:
		// it is the same one, so the test's own timeout is what ends a wait that never comes true.
		testTimeout: 600_000,
		hookTimeout: 600_000,
		expect: { poll: { timeout: 600_000 } },
	},
});
