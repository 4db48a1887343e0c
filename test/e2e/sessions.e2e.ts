import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { lanHost, launchChromium, type Chromium } from "./browser";
import { openBarista, openDisplay, openPhone, scan } from "./screens";
import { createStore } from "./staff";

/**
 * Where the attendee's session lives in a real browser: the `__Host-` cookie needs a secure origin, which
 * Chromium grants http://localhost (so `npm run dev` keeps it), while a plain-http address on a venue's
 * network keeps no Secure cookie at all, and ordering must work there on bearer tokens alone.
 */

let chrome: Chromium;

beforeAll(async () => {
	chrome = await launchChromium();
});

afterAll(async () => {
	await chrome?.close();
});

const port = () => new URL(inject("origin")).port;

describe("the attendee's session in Chromium", () => {
	it("is kept as a __Host- cookie over plain http on localhost, which Chromium counts as secure", async () => {
		const storeId = await createStore();
		// The scan starts the attendee's session: open the display's code on localhost.
		const code = new URL(await scan(await openDisplay(chrome, storeId), "session-cookie-qr-code"));
		const phone = await openPhone(chrome, `http://localhost:${port()}${code.pathname}${code.search}`);
		await expect.poll(() => phone.evaluate(() => localStorage.getItem("edgepresso.attendee"))).not.toBeNull();
		const cookies = await phone.context().cookies(`http://localhost:${port()}`);
		expect(cookies).toEqual([
			expect.objectContaining({
				name: "__Host-edgepresso_session",
				domain: "localhost",
				path: "/",
				secure: true,
				httpOnly: true,
			}),
		]);
	});

	it("orders over a plain-http address that keeps no Secure cookie, on bearer tokens and socket subprotocols alone", async () => {
		const storeId = await createStore();
		const display = await openDisplay(chrome, storeId);
		const url = new URL(await scan(display, "lan-qr-code"));
		url.hostname = lanHost;
		const phone = await openPhone(chrome, url.toString());
		expect(await phone.evaluate(() => window.isSecureContext)).toBe(false);
		await phone.getByLabel("Espresso").check();
		await phone.getByRole("button", { name: "Order Espresso" }).click();
		await phone.getByRole("heading", { name: "You're in the queue" }).waitFor();
		expect(await phone.context().cookies(url.origin)).toEqual([]);

		const number = Number((await phone.locator(".number").textContent())!.replace("#", ""));
		const tablet = await openBarista(chrome, storeId);
		await tablet.getByRole("button", { name: `Make order ${number}` }).click();
		await tablet.getByRole("button", { name: `Ready order ${number}` }).click();
		await phone.getByRole("heading", { name: `Ready — order #${number}` }).waitFor();
	});
});
