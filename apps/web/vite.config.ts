import { readFileSync } from "node:fs";
import path from "node:path";
import adapter from "@sveltejs/adapter-static";
import { sveltekit } from "@sveltejs/kit/vite";
import { defineConfig } from "vite";

const repo = path.resolve(import.meta.dirname, "../..");
/** A build for Pages talks to the API on another origin: its sockets and requests must be allowed there. */
const apiOrigin = process.env.VITE_API_ORIGIN;
const apiSources = apiOrigin ? [apiOrigin, apiOrigin.replace(/^http/, "ws")] : [];
/**
 * Turnstile's site key: $TURNSTILE_SITE_KEY (`npm run dev` passes the one in .dev.vars), else the top-level
 * var in wrangler.toml that the Worker reads too. With a key the order page runs the widget, and the pages'
 * CSP lets Turnstile's origin load its script and frame; without one, neither.
 */
const turnstileSiteKey =
	process.env.TURNSTILE_SITE_KEY ?? /^TURNSTILE_SITE_KEY\s*=\s*"([^"]*)"/m.exec(readFileSync(path.join(repo, "wrangler.toml"), "utf8"))?.[1] ?? "";
const turnstileSources = turnstileSiteKey ? ["https://challenges.cloudflare.com"] : [];

/**
 * The front ends (/order, /display, /barista, /admin) as one single-page app, built to static files that the
 * Worker serves as its assets (wrangler.toml `[assets]`). Everything renders in the browser, from the API and
 * the live sockets; the Worker only ships files.
 */
export default defineConfig({
	plugins: [
		sveltekit({
			// Every page is prerendered as an empty shell that already links its own scripts and styles (no
			// request waterfall on a phone); any other path gets index.html from the host's single-page-app mode.
			adapter: adapter({ pages: path.join(import.meta.dirname, "build") }),
			// Root-relative asset links, so the shell also works when served for a deeper path.
			paths: { relative: false },
			compilerOptions: { runes: true },
			// The pages' Content-Security-Policy, written into each prerendered page as a <meta> tag with the hash of
			// its inline start-up script; what a <meta> cannot say (frame-ancestors) is in static/_headers.
			csp: {
				mode: "hash",
				directives: {
					"default-src": ["self"],
					"script-src": ["self", ...turnstileSources],
					"style-src": ["self"],
					// Style attributes only, never <style> elements: qrcode-svg colours its squares with them.
					"style-src-attr": ["unsafe-inline"],
					"img-src": ["self"],
					"connect-src": ["self", ...apiSources],
					"manifest-src": ["self"],
					"worker-src": ["self"],
					...(turnstileSiteKey ? { "frame-src": turnstileSources } : {}),
					"object-src": ["none"],
					"base-uri": ["self"],
					"form-action": ["self"],
				},
			},
		}),
	],
	// The shared API contract and clients live outside the app; the dev server may serve them.
	server: {
		fs: { allow: [path.join(repo, "contract"), path.join(repo, "apps/client")] },
		// `npm run web:dev` talks to the Worker that `npm run dev` runs.
		proxy: { "/api": { target: process.env.API_ORIGIN ?? "http://localhost:8787", ws: true } },
	},
	define: { "import.meta.env.VITE_TURNSTILE_SITE_KEY": JSON.stringify(turnstileSiteKey) },
	build: { target: "es2022" },
});
