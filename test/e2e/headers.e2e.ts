import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchChromium, type Chromium } from "./browser";

/**
 * The pages' security headers as wrangler dev serves the build (from static/_headers and SvelteKit's CSP
 * <meta>), on every screen and on the single-page-app fallback, and the screens working under them.
 */

let chrome: Chromium;

beforeAll(async () => {
	chrome = await launchChromium();
});

afterAll(async () => {
	await chrome?.close();
});

const pages = {
	"/": "Open a screen for your coffee bar.",
	"/order": "Scan the QR code",
	"/display": "no coffee bar",
	"/barista": "Which coffee bar",
	"/admin": "Sign in to administer",
};
/** Any other path is the single-page app's fallback, which routes in the browser (here: to its 404). */
const fallback = "/no/such/screen";

describe("the pages' security headers", () => {
	it("sends them with every page, the fallback and the build's files", async () => {
		const html = await (await fetch(`${inject("origin")}/barista`)).text();
		const script = /<script[^>]+src="([^"]+)"|import\("([^"]+\.js)"\)/.exec(html)!;
		for (const path of [...Object.keys(pages), fallback, script[1] ?? script[2]!]) {
			const response = await fetch(`${inject("origin")}${path}`);
			expect(response.status, path).toBe(200);
			const headers = Object.fromEntries(response.headers);
			expect(headers, path).toMatchObject({
				"x-content-type-options": "nosniff",
				"referrer-policy": "no-referrer",
				"x-frame-options": "DENY",
				"cross-origin-opener-policy": "same-origin",
			});
			expect(headers["content-security-policy"], path).toContain("frame-ancestors 'none'");
			expect(headers["permissions-policy"], path).toContain("camera=()");
			const body = await response.text();
			if (!path.endsWith(".js"))
				expect(body, path).toMatch(
					/<meta http-equiv="content-security-policy" content="[^"]*script-src 'self' 'sha256-/,
				);
		}
	});

	it("runs every screen under the policy, with nothing blocked", async () => {
		const context = await chrome.context("tablet");
		for (const [path, text] of Object.entries(pages)) {
			const page = await context.newPage();
			await page.goto(`${inject("origin")}${path}`);
			await page.getByText(text).first().waitFor();
			await page.close();
		}
		const page = await context.newPage();
		await page.goto(`${inject("origin")}${fallback}`);
		await page.getByText("404").waitFor();
		expect(chrome.cspViolations).toEqual([]);

		// What an injected script would meet: refused, and reported (so the checks above can fail).
		const ran = await page.evaluate(() => {
			const script = document.createElement("script");
			script.textContent = "window.injected = true";
			document.body.append(script);
			return "injected" in window;
		});
		expect(ran).toBe(false);
		await expect.poll(() => chrome.cspViolations.length).toBe(1);
		expect(chrome.cspViolations[0]).toMatch(/inline script/);
	});
});

describe("the files every site is asked for", () => {
	it("serves robots.txt, the favicons and a meta description as real files, not the single-page app", async () => {
		const types = { "/robots.txt": "text/plain", "/favicon.ico": "image/", "/icon.svg": "image/svg+xml" };
		for (const [path, type] of Object.entries(types)) {
			const response = await fetch(`${inject("origin")}${path}`);
			expect([path, response.status, response.headers.get("content-type")]).toEqual([
				path,
				200,
				expect.stringContaining(type),
			]);
			const body = new Uint8Array(await response.arrayBuffer());
			expect(new TextDecoder().decode(body.slice(0, 15)), path).not.toMatch(/<!doctype/i);
		}
		expect(await (await fetch(`${inject("origin")}/robots.txt`)).text()).toMatch(
			/^User-agent: \*$[\s\S]*^Disallow: \/api\/$/m,
		);
		// An icon file: the ICO header (reserved 0, type 1).
		const ico = new Uint8Array(await (await fetch(`${inject("origin")}/favicon.ico`)).arrayBuffer());
		expect([...ico.slice(0, 4)]).toEqual([0, 0, 1, 0]);
		for (const path of Object.keys(pages)) {
			const html = await (await fetch(`${inject("origin")}${path}`)).text();
			expect(html, path).toMatch(/<meta\s+name="description"\s+content="[^"]{40,}"/);
		}
	});
});
