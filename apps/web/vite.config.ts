import { createHash } from "node:crypto";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import staticAdapter from "@sveltejs/adapter-static";
import type { Adapter } from "@sveltejs/kit";
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
	process.env.TURNSTILE_SITE_KEY ??
	/^TURNSTILE_SITE_KEY\s*=\s*"([^"]*)"/m.exec(readFileSync(path.join(repo, "wrangler.toml"), "utf8"))?.[1] ??
	"";
const turnstileSources = turnstileSiteKey ? ["https://challenges.cloudflare.com"] : [];
/** app.html's own start-up script (the order page's early scan), allowed by its hash like SvelteKit's. */
const startupScript = /<script>([\s\S]*?)<\/script>/.exec(
	readFileSync(path.join(import.meta.dirname, "src/app.html"), "utf8"),
)![1]!;
const startupHash = `sha256-${createHash("sha256").update(startupScript).digest("base64")}` as const;

/**
 * adapter-static, then one more preload in every page: SvelteKit's client waits for the root error page's code
 * (node 1) before it renders anything, but does not preload it, which costs a phone on slow 3G one more round
 * trip (≈ 0.4 s) before the menu.
 */
function adapter(pages: string): Adapter {
	const written = staticAdapter({ pages });
	return {
		...written,
		async adapt(builder) {
			await written.adapt(builder);
			const manifest = JSON.parse(
				readFileSync(path.join(builder.getClientDirectory(), ".vite/manifest.json"), "utf8"),
			) as Record<string, { file: string }>;
			const errorPage = Object.entries(manifest).find(([source]) => source.endsWith("/nodes/1.js"))?.[1].file;
			if (!errorPage) throw new Error("the client manifest has no root error page (nodes/1)");
			for (const file of readdirSync(pages).filter((name) => name.endsWith(".html"))) {
				const html = readFileSync(path.join(pages, file), "utf8");
				const first = /<link href="[^"]+" rel="modulepreload">/.exec(html);
				if (!first) throw new Error(`${file} preloads no modules`);
				const link = `<link href="/${errorPage}" rel="modulepreload">`;
				writeFileSync(path.join(pages, file), html.replace(first[0], `${link}\n\t\t${first[0]}`));
			}
		},
	};
}

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
			adapter: adapter(path.join(import.meta.dirname, "build")),
			// Root-relative asset links, so the shell also works when served for a deeper path.
			paths: { relative: false },
			// Every page's CSS inline in its shell: no stylesheet blocks the first paint on a slow network.
			inlineStyleThreshold: Infinity,
			// Registered by the screens once their first view is up (src/lib/offline.ts), not on load.
			serviceWorker: { register: false },
			compilerOptions: { runes: true },
			// The pages' Content-Security-Policy, written into each prerendered page as a <meta> tag with the hash of
			// its inline start-up script; what a <meta> cannot say (frame-ancestors) is in static/_headers.
			csp: {
				mode: "hash",
				directives: {
					"default-src": ["self"],
					"script-src": ["self", startupHash, ...turnstileSources],
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
	build: {
		target: "es2022",
		// On a phone's slow network each file costs a round trip: Svelte and the API client, which every screen runs
		// on, go in one file (SvelteKit keeps its own), and the parts of this app that the order page shares with the others in
		// another.
		rolldownOptions: {
			output: {
				codeSplitting: {
					groups: [
						{ name: "framework", test: /node_modules[\\/](svelte|esm-env|clsx|hono)[\\/]/ },
						{
							name: "shared",
							test: /apps[\\/]client[\\/]|workers[\\/]contract[\\/]|lib[\\/](strings|api|session|clock\.svelte|problem\.svelte|offline|components[\\/](Notice|LiveStatus|ConfirmDialog))\./,
						},
					],
				},
			},
		},
	},
});
