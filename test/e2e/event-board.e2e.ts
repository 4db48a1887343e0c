import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { accessibilityProblems, launchChromium, type Chromium } from "./browser";
import { openPhone, shots } from "./screens";
import { attendeeOrder, baristaSession, createStore, createVenueEvent, currentCode } from "./staff";

/**
 * A venue event's public board: a fresh browser (no session) opens it and sees each bar's queue and wait,
 * the quickest bar marked, in the device's language, and follows a new order live; a bar's order page names a
 * quicker bar of the event.
 */

let chrome: Chromium;

beforeAll(async () => {
	chrome = await launchChromium();
});

afterAll(async () => {
	await chrome?.close();
});

describe("an event's board", () => {
	it("shows each bar's queue and wait to a fresh browser, live, and speaks its language", async () => {
		const [hall, terrace, annex] = [await createStore(), await createStore(), await createStore({ open: false })];
		const eventId = await createVenueEvent("Edge Summit", [hall, terrace, annex]);
		const hallBarista = await baristaSession(hall, "Sam");
		await attendeeOrder(hall, hallBarista, { drink: "latte" });
		await attendeeOrder(hall, hallBarista, { drink: "tea" });

		const page = await (await chrome.context("tv")).newPage();
		await page.goto(`${inject("origin")}/event?id=${eventId}`);
		await page.getByRole("heading", { name: "Edge Summit" }).waitFor();
		const bar = (store: string) => page.getByTestId(`bar-${store}`);
		// No history yet: two minutes a drink, a minute per place ahead.
		await bar(hall).getByText("2 orders waiting").waitFor();
		expect(await bar(hall).locator(".wait").textContent()).toBe("about 5 min");
		expect(await bar(terrace).locator(".wait").textContent()).toBe("about 3 min");
		expect(await bar(terrace).getByText("Quickest").isVisible()).toBe(true);
		expect(await bar(annex).locator(".wait").textContent()).toBe("Closed");
		await shots(page, "event-board", ["tv", "phone"]);
		expect(await accessibilityProblems(page)).toEqual([]);

		// Live: an order at the terrace shows there without a reload.
		await attendeeOrder(terrace, await baristaSession(terrace, "Kim"), { drink: "espresso" });
		await bar(terrace).getByText("1 order waiting").waitFor();

		// The hall's order page points to the quicker terrace (4 minutes against 5).
		const terraceName = await bar(terrace).locator("h2").textContent();
		const orderPage = await openPhone(chrome, await currentCode(hall, hallBarista));
		await orderPage.getByText(`Quicker now: ${terraceName}, about 4 min`).waitFor();
		await shots(orderPage, "order-quicker-bar", ["phone"]);

		// A phone in Portuguese reads it in Portuguese.
		const phone = await (await chrome.context("phone", "pt-BR")).newPage();
		await phone.goto(`${inject("origin")}/event?id=${eventId}`);
		await phone.getByText("2 pedidos na fila").waitFor();
		await phone.getByText("Fechado").waitFor();
	});

	it("says so for an event that does not exist", async () => {
		const page = await (await chrome.context("phone")).newPage();
		await page.goto(`${inject("origin")}/event?id=no-such-event`);
		await page.getByText("There is no event with that id.").waitFor();
	});
});
