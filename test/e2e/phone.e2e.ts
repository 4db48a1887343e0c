import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchChromium, screenshot, type Chromium } from "./browser";
import { openDisplay, openPhone, scan, shots } from "./screens";
import { openOnSlow3g } from "./slow-3g";
import { baristaSession, createStore, currentCode, setPaused } from "./staff";

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
		const context = await chrome.browser.newContext({
			viewport: { width: 360, height: 740 },
			javaScriptEnabled: false,
		});
		const page = await context.newPage();
		await page.goto(`${inject("origin")}/order?store=none`);
		expect(await page.locator(".boot-brand").isVisible()).toBe(true);
		await screenshot(page, "order-skeleton-phone");
		await context.close();
	});

	it("opens the display's QR code and shows the menu after one request to the API: the scan", async () => {
		const storeId = await createStore({ drinksPerCode: 20 });
		const display = await openDisplay(chrome, storeId);
		const url = await scan(display, "display-qr-code-3g");
		const load = await openOnSlow3g(chrome.browser, url);
		console.log(
			`slow 3G: first paint ${load.firstPaintMs} ms, menu usable ${load.menuUsableMs} ms, ${(load.bytes / 1024).toFixed(1)} KB in ${load.requests} requests`,
		);
		expect(load.apiRequests).toEqual([`POST /api/stores/${storeId}/scans`]);
		expect(load.firstPaintMs).toBeLessThan(load.menuUsableMs);
		await display.close();
	});
});

describe("a phone that kept a session from before", () => {
	it("reaches the menu without an error when the API no longer takes its stored session, and keeps the new one", async () => {
		const storeId = await createStore({ drinksPerCode: 20 });
		const url = await currentCode(storeId, await baristaSession(storeId, "Sam"));
		// Unexpired as the phone sees it, refused by the API: revoked (the secret rotated) or forged.
		const stale = { token: "stale-session-token", userId: "a-user", name: null, expiresAt: "2099-01-01T00:00:00Z" };
		const phone = await (await chrome.context("phone")).newPage();
		await phone.goto(`${inject("origin")}/order`);
		await phone.evaluate((kept) => localStorage.setItem("edgepresso.attendee", JSON.stringify(kept)), stale);
		const api: string[] = [];
		phone.on("request", (request) => {
			const { pathname } = new URL(request.url());
			if (pathname.startsWith("/api/") && request.resourceType() !== "websocket")
				api.push(`${request.method()} ${pathname}`);
		});
		await phone.goto(url);
		// Whichever comes first, the menu or an error: it must be the menu.
		await phone.getByLabel("Latte").or(phone.getByRole("alert")).first().waitFor();
		expect(await phone.getByRole("alert").count()).toBe(0);
		// The early scan carried the stale token and was refused; the page started a session and scanned again.
		expect(api.slice(0, 3)).toEqual([
			`POST /api/stores/${storeId}/scans`,
			"POST /api/session",
			`POST /api/stores/${storeId}/scans`,
		]);
		const kept = await phone.evaluate(() => JSON.parse(localStorage.getItem("edgepresso.attendee")!));
		expect(kept.token).not.toBe(stale.token);
		await phone.context().close();
	});
});

describe("the order page's details", () => {
	it("shows a drink's options right under it, keeps the focused name field clear of the Order button, and starts the status at the top", async () => {
		const storeId = await createStore();
		const phone = await openPhone(chrome, await currentCode(storeId, await baristaSession(storeId, "Sam")));
		await phone.getByLabel("Latte").check();
		// The options sit between the chosen drink and the next one, not after all seven.
		const latte = (await phone.locator("label.drink", { hasText: "Latte" }).boundingBox())!;
		const milk = (await phone.getByRole("group", { name: "Milk" }).boundingBox())!;
		const next = (await phone.locator("label.drink", { hasText: "Cappuccino" }).boundingBox())!;
		expect(milk.y).toBeGreaterThanOrEqual(latte.y + latte.height);
		expect(milk.y + milk.height).toBeLessThanOrEqual(next.y);
		await phone.getByLabel("Oat").check();
		await shots(phone, "order-options-under-drink", ["phone"]);

		// Focus scrolls the name field clear of the sticky Order button, even when it was on screen, behind it: the
		// browser scrolls a focused field only when it is not already in view, less its scroll margin.
		await phone.evaluate(() => {
			const field = document.getElementById("cup-name")!.getBoundingClientRect();
			window.scrollBy(0, field.bottom - window.innerHeight + 8);
		});
		const behind = (await phone.getByLabel("Name for the cup").boundingBox())!;
		const sticky = (await phone.getByRole("button", { name: "Order Latte" }).boundingBox())!;
		expect(behind.y + behind.height).toBeGreaterThan(sticky.y);
		await phone.getByLabel("Name for the cup").focus();
		const field = (await phone.getByLabel("Name for the cup").boundingBox())!;
		const button = (await phone.getByRole("button", { name: "Order Latte" }).boundingBox())!;
		expect(field.y + field.height).toBeLessThanOrEqual(button.y);
		expect(field.y).toBeGreaterThanOrEqual(0);

		await phone.getByLabel("Name for the cup").fill("Ada");
		expect(await phone.evaluate(() => window.scrollY)).toBeGreaterThan(0);
		await phone.getByRole("button", { name: "Order Latte" }).click();
		await phone.getByRole("heading", { name: "You're in the queue" }).waitFor();
		// The result, not the fix: without \`ordered\`'s scroll the page also lands at the top, because it is short
		// for a moment while the status's code loads.
		await expect.poll(() => phone.evaluate(() => window.scrollY)).toBe(0);
		await phone.context().close();
	});

	it("says once that the bar is paused when a scan is turned away, and asks for a new scan once it resumes", async () => {
		const storeId = await createStore();
		const barista = await baristaSession(storeId, "Sam");
		const url = await currentCode(storeId, barista);
		await setPaused(storeId, barista, true);
		const phone = await openPhone(chrome, url);
		await phone.getByRole("alert").getByText("paused new orders").waitFor();
		await phone.getByTestId("connection").getByText("Live").waitFor();
		const main = phone.locator("main");
		expect(await main.getByText(/paused/).count()).toBe(1);
		expect(await main.getByText("Scan the QR code").count()).toBe(0);
		await shots(phone, "order-scan-while-paused", ["phone"]);

		await setPaused(storeId, barista, false);
		await main.getByText("Scan the QR code").waitFor();
		expect(await main.getByText(/paused/).count()).toBe(0);
		await phone.context().close();
	});
});
