import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { accessibilityProblems, launchChromium, type Chromium } from "./browser";
import { openBarista, openPhone, scan, shots } from "./screens";
import { createStore } from "./staff";

/**
 * The big screen as staff set it up at a venue: paired from a barista's tablet with a one-time code, it shows
 * the QR code and the board, and whoever reaches its browser can do nothing a barista can.
 */

let chrome: Chromium;

beforeAll(async () => {
	chrome = await launchChromium();
});

afterAll(async () => {
	await chrome?.close();
});

/** A call made from the page, with the session the screen keeps: what anyone at its keyboard could do. */
function fromScreen(
	page: Page,
	key: string,
	method: string,
	path: string,
	body?: unknown,
): Promise<{ status: number; code: string | null }> {
	return page.evaluate(
		async ({ key, method, path, body }) => {
			const session = JSON.parse(localStorage.getItem(key) ?? "{}") as { token?: string };
			const response = await fetch(path, {
				method,
				headers: {
					authorization: `Bearer ${session.token}`,
					...(body === undefined ? {} : { "content-type": "application/json" }),
				},
				body: body === undefined ? undefined : JSON.stringify(body),
			});
			const reply = (await response.json().catch(() => null)) as { error?: { code: string } } | null;
			return { status: response.status, code: reply?.error?.code ?? null };
		},
		{ key, method, path, body },
	);
}

describe("the display", () => {
	it("is paired from a barista's tablet, shows the code and the board, and cannot act as a barista", async () => {
		const storeId = await createStore();
		const tablet = await openBarista(chrome, storeId, { name: "Sam" });
		await tablet.getByRole("button", { name: "Store menu" }).click();
		await tablet.getByRole("button", { name: "Menu and settings" }).click();
		const panel = tablet.getByRole("dialog", { name: "Menu and settings" });
		await panel.getByRole("button", { name: "Pair a display" }).click();
		const code = (await panel.getByTestId("pairing-code").textContent())!;
		expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
		await panel.getByText(/Works once, for [45]:\d\d more/).waitFor();
		await panel.getByTestId("pairing-code").scrollIntoViewIfNeeded();
		await shots(tablet, "barista-pair-display", ["tablet"]);
		expect(await accessibilityProblems(tablet)).toEqual([]);
		await panel.getByRole("button", { name: "Done" }).click();

		const display = await (await chrome.context("tv")).newPage();
		await display.goto(`${inject("origin")}/display?store=${storeId}`);
		await display.getByLabel("Pairing code").fill(code.toLowerCase());
		await shots(display, "display-pairing", ["tv"]);
		expect(await accessibilityProblems(display)).toEqual([]);
		await display.getByRole("button", { name: "Pair this screen" }).click();
		// The code is good once: the board and the QR code come over the display's own socket.
		const url = await scan(display, "paired-qr-code");
		expect(url).toMatch(new RegExp(`/order\\?store=${storeId}&code=`));

		const phone = await openPhone(chrome, url);
		await phone.getByLabel("Espresso").check();
		await phone.getByRole("button", { name: "Order Espresso" }).click();
		await phone.getByRole("heading", { name: "You're in the queue" }).waitFor();
		const number = Number((await phone.locator(".number").textContent())!.replace("#", ""));
		await display.locator(".board.preparing li", { hasText: String(number) }).waitFor();
		const order = tablet.locator(".lane.queued").getByRole("article", { name: `Order #${number}` });
		await order.waitFor();
		const orderId = new URL(phone.url()).searchParams.get("order")!;

		// The screen keeps a display session only, and with it a barista's moves are refused.
		const keys = await display.evaluate(() => Object.keys(localStorage));
		expect(keys).toContain(`edgepresso.display.${storeId}`);
		expect(keys).not.toContain(`edgepresso.staff.${storeId}`);
		const key = `edgepresso.display.${storeId}`;
		const attempts = [
			await fromScreen(display, key, "POST", `/api/orders/${orderId}/claim`),
			await fromScreen(display, key, "POST", `/api/orders/${orderId}/cancel`),
			await fromScreen(display, key, "PATCH", `/api/stores/${storeId}`, { open: false }),
			await fromScreen(display, key, "GET", `/api/stores/${storeId}/orders`),
			await fromScreen(display, key, "POST", `/api/stores/${storeId}/display/pairings`),
		];
		expect(attempts).toEqual(Array(attempts.length).fill({ status: 403, code: "forbidden" }));
		expect(await display.getByRole("button", { name: /Make|Cancel/ }).count()).toBe(0);

		// The tablet still makes the drink, and the board follows.
		await tablet.getByRole("button", { name: `Make order ${number}` }).click();
		await tablet.getByRole("button", { name: `Ready order ${number}` }).click();
		await display.locator(".board.ready li", { hasText: String(number) }).waitFor();
		await shots(display, "display-paired-ready", ["tv"]);

		// Its sign-out sits in the screen's corner menu, for staff; afterwards it asks to be paired again.
		await display.getByRole("button", { name: "Screen settings" }).click();
		await display.getByRole("button", { name: "Sign out" }).click();
		await display.getByLabel("Pairing code").waitFor();
		expect(await display.evaluate((k) => localStorage.getItem(k), key)).toBeNull();
		// A used code does not sign it in again.
		await display.getByLabel("Pairing code").fill(code);
		await display.getByRole("button", { name: "Pair this screen" }).click();
		await display
			.getByText("That pairing code does not work: it may have expired or been used. Ask a barista for a new one.")
			.waitFor();
		expect(chrome.cspViolations).toEqual([]);
	});
});
