import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import type { Page } from "playwright-core";
import { expect, inject } from "vitest";
import { accessibilityProblems, readQrCode, screenshot, screenshotDir, viewports, type Chromium } from "./browser";
import { baristaPin, displayPin } from "./staff";

/** Opening each screen as its person would, and what every scenario file does around them. */

/** Screenshots of the page at each size, coming back to the size it had. */
export async function shots(page: Page, name: string, sizes: (keyof typeof viewports)[]): Promise<void> {
	const original = page.viewportSize()!;
	for (const size of sizes) {
		await page.setViewportSize(viewports[size]);
		await page.waitForTimeout(150);
		await screenshot(page, `${name}-${size}`);
	}
	await page.setViewportSize(original);
}

/** The big screen, signed in with the store's display PIN (pairing from a tablet is in display.e2e.ts). */
export async function openDisplay(chrome: Chromium, storeId: string): Promise<Page> {
	const display = await (await chrome.context("tv")).newPage();
	await display.goto(`${inject("origin")}/display?store=${storeId}`);
	await display.getByLabel("Display PIN", { exact: true }).fill(displayPin);
	await shots(display, "display-sign-in", ["tv", "tablet"]);
	expect(await accessibilityProblems(display)).toEqual([]);
	await display.getByRole("button", { name: "Sign in with the PIN" }).click();
	return display;
}

/** The URL a phone camera would read off the display. */
export async function scan(display: Page, name: string): Promise<string> {
	const code = display.getByTestId("qr-code");
	await code.waitFor();
	return readQrCode(code, name);
}

export async function openPhone(chrome: Chromium, url: string): Promise<Page> {
	const phone = await (await chrome.context("phone")).newPage();
	await phone.goto(url);
	return phone;
}

/** A barista's tablet, signed in with the store's PIN under the barista's name, its board live. */
export async function openBarista(
	chrome: Chromium,
	storeId: string,
	options: { name?: string; pin?: string; size?: keyof typeof viewports } = {},
): Promise<Page> {
	const tablet = await (await chrome.context(options.size ?? "tablet")).newPage();
	await tablet.goto(`${inject("origin")}/barista?store=${storeId}`);
	await tablet.getByLabel("Your name").fill(options.name ?? "Sam");
	await tablet.getByLabel("Store PIN").fill(options.pin ?? baristaPin);
	await tablet.getByRole("button", { name: "Sign in" }).click();
	await tablet.getByTestId("connection").getByText("Live").waitFor();
	return tablet;
}

/** The JavaScript and CSS files (by path) a page loaded, as it loads them: call before `goto`. */
export function loadedFiles(page: Page): string[] {
	const loaded: string[] = [];
	page.on("response", (response) => loaded.push(new URL(response.url()).pathname));
	return loaded;
}

/**
 * What a screen costs a device on venue Wi-Fi: the gzip size of the JavaScript and CSS it loaded, measured
 * on the built files. Written to test-results/<name>-route-size.json and kept under a budget.
 */
export function reportRouteSize(name: string, paths: string[], budget: { js: number; css: number }): void {
	const build = path.resolve(import.meta.dirname, "../../apps/web/build");
	const sizes = { js: 0, css: 0, files: 0 };
	for (const file of new Set(paths)) {
		const kind = file.endsWith(".js") ? "js" : file.endsWith(".css") ? "css" : null;
		if (!kind || file === "/service-worker.js") continue;
		sizes[kind] += gzipSync(readFileSync(path.join(build, file))).length;
		sizes.files++;
	}
	const report = { route: name, jsGzipBytes: sizes.js, cssGzipBytes: sizes.css, files: sizes.files };
	writeFileSync(
		path.join(screenshotDir, `../${name.replace(/^\//, "").replaceAll(/\W+/g, "-").replace(/-$/, "")}-route-size.json`),
		`${JSON.stringify(report, null, 2)}\n`,
	);
	console.log(
		`${name} loads ${(sizes.js / 1024).toFixed(1)} KB of JS and ${(sizes.css / 1024).toFixed(1)} KB of CSS (gzip), ${sizes.files} files`,
	);
	expect(sizes.js).toBeLessThan(budget.js);
	expect(sizes.css).toBeLessThan(budget.css);
}
