import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchChromium, screenshot, type Chromium } from "./browser";
import { openDisplay, scan, seconds } from "./screens";
import { openOnSlow3g } from "./slow-3g";
import { createStore } from "./staff";

/**
 * An attendee's phone on slow 3G (the measurement `npm run bench -- --only browser` holds against its budget;
 * nothing here asserts a time): the shell paints the brand and a skeleton before any script, no stylesheet
 * blocks it, and the QR code's URL reaches the menu with one request to the API.
 */

let chrome: Chromium;

beforeAll(async () => {
	chrome = await launchChromium();
});

afterAll(async () => {
	await chrome?.close();
});

describe("the phone at the venue, on slow 3G", () => {
	it("paints the brand and a skeleton from the page alone, with its CSS inline", async () => {
		const html = await (await fetch(`${inject("origin")}/order`)).text();
		expect(html).toMatch(/<div id="boot"[^>]*>\s*<div class="boot-brand">edgepresso<\/div>/);
		expect(html).toContain("<style>");
		expect(html.match(/<link[^>]+rel="stylesheet"(?![^>]*disabled)[^>]*>/g) ?? []).toEqual([]);

		// With scripts off, what the phone shows before its code arrives.
		const context = await chrome.browser.newContext({ viewport: { width: 360, height: 740 }, javaScriptEnabled: false });
		const page = await context.newPage();
		await page.goto(`${inject("origin")}/order?store=none`);
		expect(await page.locator(".boot-brand").isVisible()).toBe(true);
		await screenshot(page, "order-skeleton-phone");
		await context.close();
	});

	it("opens the display's QR code and shows the menu after one request to the API: the scan", async () => {
		const storeId = await createStore({ drinksPerCode: 20 });
		const display = await openDisplay(chrome, storeId);
		const url = await scan(display, "display-qr-code-3g", 20);
		const load = await openOnSlow3g(chrome.browser, url);
		console.log(`slow 3G: first paint ${load.firstPaintMs} ms, menu usable ${load.menuUsableMs} ms, ${(load.bytes / 1024).toFixed(1)} KB in ${load.requests} requests`);
		expect(load.apiRequests).toEqual([`POST /api/stores/${storeId}/scans`]);
		expect(load.firstPaintMs).toBeLessThan(load.menuUsableMs);
		await display.close();
	}, seconds(120).timeout);
});
