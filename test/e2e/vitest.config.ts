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
		testTimeout: 90_000,
		hookTimeout: 180_000,
	},
});
