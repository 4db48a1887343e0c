import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { accessibilityProblems, launchChromium, screenshot, screenshotDir, type Chromium } from "./browser";
import { loadedFiles, openBarista, openDisplay, openPhone, reportRouteSize, scan, shots } from "./screens";
import { baristaPin, createStore } from "./staff";

/**
 * The barista's tablet, driven as a barista would: new orders chime, move through the lanes, change colour
 * as they wait, print, go back, get cancelled; the store opens, pauses, closes and runs its robot from it;
 * and it says when its connection is down and catches up when it is back.
 */

let chrome: Chromium;

beforeAll(async () => {
	chrome = await launchChromium();
});

afterAll(async () => {
	await chrome?.close();
});

/** An attendee orders from the code on the display; returns the phone and the order's number. */
async function order(display: Page, drink: string, choices: string[] = []): Promise<{ phone: Page; number: number }> {
	const phone = await openPhone(chrome, await scan(display, `barista-order-${drink}`));
	await phone.getByLabel(drink).check();
	for (const choice of choices) await phone.getByLabel(choice).check();
	await phone.getByRole("button", { name: `Order ${drink}` }).click();
	await phone.getByRole("heading", { name: "You're in the queue" }).waitFor();
	return { phone, number: Number((await phone.locator(".number").textContent())!.replace("#", "")) };
}

const card = (tablet: Page, lane: "queued" | "making" | "ready", number: number) =>
	tablet.locator(`.lane.${lane}`).getByRole("article", { name: `Order #${number}` });

/** Taps a secondary action, which sits in the card's menu. */
async function moreFor(tablet: Page, number: number, action: string): Promise<void> {
	await tablet.getByRole("button", { name: `More for order ${number}` }).click();
	await tablet.getByRole("button", { name: action }).click();
}

/** Taps an entry of the store menu in the header. */
async function storeMenu(tablet: Page, entry: string): Promise<void> {
	await tablet.getByRole("button", { name: "Store menu" }).click();
	await tablet.getByRole("button", { name: entry }).click();
}

/** Counts the notes the page's WebAudio plays, by counting the oscillators it starts. */
async function countTones(page: Page): Promise<void> {
	await page.addInitScript(() => {
		const played = window as unknown as { tones: number };
		played.tones = 0;
		const start = OscillatorNode.prototype.start;
		OscillatorNode.prototype.start = function (...args: Parameters<OscillatorNode["start"]>) {
			played.tones++;
			return start.apply(this, args);
		};
	});
}

const tones = (page: Page) => page.evaluate(() => (window as unknown as { tones: number }).tones);

describe("the barista's tablet", () => {
	it("signs in, chimes on new orders, and moves them through the lanes with their age in colour", async () => {
		const storeId = await createStore();
		const display = await openDisplay(chrome, storeId);

		const tablet = await (await chrome.context("tablet")).newPage();
		await countTones(tablet);
		// The tablet's clock can be moved on, to see orders age without waiting minutes.
		await tablet.clock.install();
		const loaded = loadedFiles(tablet);
		await tablet.goto(`${inject("origin")}/barista?store=${storeId}`);
		await tablet.getByLabel("Your name").waitFor();
		const manifest = await tablet.evaluate(async () =>
			(await fetch(document.querySelector<HTMLLinkElement>("link[rel=manifest]")!.href)).json(),
		);
		expect(manifest).toMatchObject({ id: "/barista", start_url: "/barista", display: "standalone" });
		await tablet.getByLabel("Your name").fill("Sam");
		await tablet.getByLabel("Store PIN").fill(baristaPin);
		await shots(tablet, "barista-sign-in", ["tablet", "phone"]);
		expect(await accessibilityProblems(tablet)).toEqual([]);
		await tablet.getByRole("button", { name: "Sign in" }).click();
		await tablet.getByTestId("connection").getByText("Live").waitFor();
		reportRouteSize("/barista", loaded, { js: 74 * 1024, css: 10 * 1024 });

		// Sound starts off (browsers allow it only after a tap); turning it on plays the chime once, as a check.
		const chime = tablet.getByRole("switch", { name: "New-order chime" });
		expect(await chime.isChecked()).toBe(false);
		await chime.check();
		await expect.poll(() => tones(tablet)).toBe(2);
		await shots(tablet, "barista-empty", ["tablet"]);

		const { phone, number } = await order(display, "Cappuccino", ["Oat", "Caramel"]);
		await card(tablet, "queued", number).waitFor();
		await expect.poll(() => tones(tablet)).toBe(4);
		await expect(tablet.locator("p[aria-live]").textContent()).resolves.toBe(`New order ${number}: Cappuccino`);
		// Only what differs from the drink's defaults is on the ticket, highlighted; the ticket printed has it all.
		expect(await card(tablet, "queued", number).locator("li").allTextContents()).toEqual([
			"Milk: Oat",
			"Syrup: Caramel",
		]);
		expect(
			await card(tablet, "queued", number)
				.locator("li")
				.first()
				.evaluate((li) => getComputedStyle(li).backgroundColor),
		).toBe("rgb(255, 224, 138)");

		const age = (n: number) => card(tablet, "queued", n).locator(".age");
		const colour = (n: number) => age(n).evaluate((element) => getComputedStyle(element).color);
		expect(await colour(number)).toBe("rgb(15, 107, 58)");

		// Make it, put it back, make it again.
		await tablet.getByRole("button", { name: `Make order ${number}` }).click();
		await card(tablet, "making", number).getByText("You are making it").waitFor();
		await phone.getByText("Sam is making it now.").waitFor();
		await moreFor(tablet, number, `Unmake order ${number}`);
		await card(tablet, "queued", number).waitFor();
		await phone.getByRole("heading", { name: "You're in the queue" }).waitFor();
		await tablet.getByRole("button", { name: `Make order ${number}` }).click();
		await card(tablet, "making", number).waitFor();

		// Its ticket, for an 80 mm receipt printer: only the ticket is printed.
		await tablet.evaluate(() => {
			const counted = window as unknown as { printed: number };
			counted.printed = 0;
			window.print = () => void counted.printed++;
		});
		await moreFor(tablet, number, `Print ticket order ${number}`);
		await expect.poll(() => tablet.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
		await tablet.emulateMedia({ media: "print" });
		const ticket = tablet.getByTestId("ticket");
		expect(await ticket.isVisible()).toBe(true);
		expect(await tablet.locator(".barista").isVisible()).toBe(false);
		expect(await ticket.innerText()).toMatch(
			new RegExp(`ORDER\\s+${number}\\s+Cappuccino\\s+Size: Regular[\\s\\S]*Milk: Oat`),
		);
		expect(Math.round((await ticket.boundingBox())!.width)).toBe(Math.round((72 / 25.4) * 96));
		await ticket.screenshot({ path: `${screenshotDir}/barista-ticket-80mm.png` });
		await tablet.emulateMedia({ media: "screen" });
		// The same ticket on 58 mm paper.
		await storeMenu(tablet, "Menu and settings");
		const panel = tablet.getByRole("dialog", { name: "Menu and settings" });
		await panel.getByLabel("58 mm").check();
		await shots(tablet, "barista-settings", ["tablet", "phone"]);
		expect(await accessibilityProblems(tablet)).toEqual([]);
		await panel.getByRole("button", { name: "Done" }).click();
		await tablet.emulateMedia({ media: "print" });
		expect(Math.round((await ticket.boundingBox())!.width)).toBe(Math.round((48 / 25.4) * 96));
		await ticket.screenshot({ path: `${screenshotDir}/barista-ticket-58mm.png` });
		await tablet.emulateMedia({ media: "screen" });

		await tablet.getByRole("button", { name: `Ready order ${number}` }).click();
		await card(tablet, "ready", number).waitFor();
		await phone.getByRole("heading", { name: `Ready — order #${number}` }).waitFor();
		await shots(tablet, "barista-ready", ["tablet", "phone"]);
		// Green while fresh, amber past two minutes, red past five, like the original tablet; a ready drink stays
		// five minutes (so it can be called again), then drops off the tablet.
		const second = await order(display, "Tea");
		await card(tablet, "queued", second.number).waitFor();
		expect(await colour(second.number)).toBe("rgb(15, 107, 58)");
		await tablet.clock.fastForward("02:05");
		await expect.poll(() => colour(second.number)).toBe("rgb(138, 75, 0)");
		await expect.poll(() => age(second.number).textContent()).toMatch(/^waiting 2:\d\d$/);
		expect(
			await card(tablet, "ready", number)
				.getByRole("button", { name: `Call again order ${number}` })
				.isEnabled(),
		).toBe(true);
		await shots(tablet, "barista-queued-amber", ["tablet"]);
		await tablet.clock.fastForward("03:00");
		await expect.poll(() => colour(second.number)).toBe("rgb(161, 22, 28)");
		await expect.poll(() => card(tablet, "ready", number).count()).toBe(0);
		await shots(tablet, "barista-queued-red", ["tablet", "phone"]);
		expect(await accessibilityProblems(tablet)).toEqual([]);

		// A cancel sits in the card's menu, away from Make, and asks first; the attendee is told.
		await moreFor(tablet, second.number, `Cancel order ${second.number}`);
		const confirm = tablet.getByRole("dialog", { name: `Cancel order #${second.number}?` });
		await confirm.waitFor();
		await shots(tablet, "barista-cancel-confirm", ["tablet"]);
		await confirm.getByRole("button", { name: "No, keep it" }).click();
		expect(await card(tablet, "queued", second.number).isVisible()).toBe(true);
		await moreFor(tablet, second.number, `Cancel order ${second.number}`);
		await confirm.getByRole("button", { name: "Yes, cancel it" }).click();
		await expect.poll(() => card(tablet, "queued", second.number).count()).toBe(0);
		await second.phone.getByText("The barista cancelled this order. Sorry! Please order again.").waitFor();
		expect(chrome.cspViolations).toEqual([]);
	});

	it("opens, pauses and closes the store, and runs the robot", async () => {
		const storeId = await createStore();
		const display = await openDisplay(chrome, storeId);
		const tablet = await openBarista(chrome, storeId, { name: "Kim", size: "phone" });
		await display.getByTestId("qr-code").waitFor();

		await tablet.getByRole("switch", { name: "Pause new orders" }).check();
		await display.getByRole("heading", { name: "Paused" }).waitFor();
		await tablet.getByRole("switch", { name: "Pause new orders" }).uncheck();
		await display.getByTestId("qr-code").waitFor();

		// The robot makes what is queued, one drink a second.
		const { phone, number } = await order(display, "Espresso");
		await storeMenu(tablet, "Menu and settings");
		const panel = tablet.getByRole("dialog", { name: "Menu and settings" });
		await panel.getByLabel("Seconds per drink").fill("1");
		await panel.getByLabel("Seconds per drink").press("Tab");
		await panel.getByRole("switch", { name: "Robot barista" }).check();
		await panel.getByRole("button", { name: "Done" }).click();
		await card(tablet, "ready", number).waitFor();
		await phone.getByRole("heading", { name: `Ready — order #${number}` }).waitFor();
		await storeMenu(tablet, "Menu and settings");
		await panel.getByRole("switch", { name: "Robot barista" }).uncheck();
		await panel.getByRole("button", { name: "Done" }).click();

		// Closing can cancel what is still open; the attendee hears why.
		const waiting = await order(display, "Latte");
		await card(tablet, "queued", waiting.number).waitFor();
		await storeMenu(tablet, "Close the store");
		const closing = tablet.getByRole("dialog", { name: "Close the store?" });
		await closing.getByLabel("Also cancel the 1 open order (their attendees are told)").check();
		await shots(tablet, "barista-close-confirm", ["phone", "tablet"]);
		await closing.getByRole("button", { name: "Close the store" }).click();
		await tablet.getByRole("button", { name: "Open the store" }).waitFor();
		await waiting.phone.getByText("The coffee bar closed and cancelled the open orders.").waitFor();
		await display.getByRole("heading", { name: "Closed" }).waitFor();
		// The tablet hears of the cancel from the store, after the phone heard it from the order: wait for it.
		await card(tablet, "queued", waiting.number).waitFor({ state: "detached" });
		await shots(tablet, "barista-closed", ["phone", "tablet"]);
		expect(await accessibilityProblems(tablet)).toEqual([]);

		await tablet.getByRole("button", { name: "Open the store" }).click();
		await display.getByTestId("qr-code").waitFor();
	});

	it("takes a walk-up order at the counter, straight into the queue and onto the board", async () => {
		const storeId = await createStore();
		const display = await openDisplay(chrome, storeId);
		const tablet = await openBarista(chrome, storeId, { name: "Noor" });
		await display.getByTestId("qr-code").waitFor();
		const drinksLeft = await display.getByText(/drinks left/).textContent();

		await tablet.getByRole("button", { name: "Walk-up order" }).click();
		const drawer = tablet.getByRole("dialog", { name: "Walk-up order" });
		await drawer.getByLabel("Cappuccino").check();
		await drawer.getByLabel("Soy").check();
		await drawer.getByLabel("Name for the cup").fill("Grace Hopper");
		await shots(tablet, "barista-walk-up", ["tablet"]);
		expect(await accessibilityProblems(tablet)).toEqual([]);
		await drawer.getByRole("button", { name: "Add Cappuccino to the queue" }).click();
		await drawer.waitFor({ state: "hidden" });

		const walkIn = tablet.locator(".lane.queued article", { hasText: "Grace Hopper" });
		await walkIn.waitFor();
		for (const line of ["Walk-up", "Cappuccino", "Milk: Soy"]) expect(await walkIn.textContent()).toContain(line);
		const number = Number((await walkIn.locator(".number").textContent())!.replace("#", ""));
		await display
			.locator(".board.preparing li", { hasText: String(number) })
			.filter({ hasText: "Grace" })
			.waitFor();
		// The QR code's drinks are for phones: a walk-up takes none of them.
		expect(await display.getByText(/drinks left/).textContent()).toBe(drinksLeft);
		await shots(tablet, "barista-walk-up-queued", ["tablet"]);

		// The drawer opens empty for the next one.
		await tablet.getByRole("button", { name: "Walk-up order" }).click();
		expect(await drawer.getByLabel("Name for the cup").inputValue()).toBe("");
		await drawer.getByRole("button", { name: "Close" }).click();
	});

	it("says when its connection is down, and catches up when it is back", async () => {
		const storeId = await createStore();
		const display = await openDisplay(chrome, storeId);
		// The venue's Wi-Fi, played by the test: it carries the tablet's socket until it drops it, and refuses
		// new ones while it is down.
		let down = false;
		const links: { close(): Promise<void> }[] = [];
		const tablet = await (await chrome.context("tablet")).newPage();
		await tablet.routeWebSocket(/\/api\/stores\/[^/]+\/ws/, (socket) => {
			if (down) return void socket.close();
			socket.connectToServer();
			links.push(socket);
		});
		await tablet.goto(`${inject("origin")}/barista?store=${storeId}`);
		await tablet.getByLabel("Your name").fill("Sam");
		await tablet.getByLabel("Store PIN").fill(baristaPin);
		await tablet.getByRole("button", { name: "Sign in" }).click();
		await tablet.getByTestId("connection").getByText("Live").waitFor();

		down = true;
		await Promise.all(links.map((link) => link.close()));
		await tablet.getByTestId("connection").getByText("Reconnecting…").waitFor();
		await tablet.getByText(/^Not live since \d\d:\d\d: the board may be out of date/).waitFor();
		await screenshot(tablet, "barista-offline-tablet");
		// An order arrives while the tablet's socket is down.
		const { number } = await order(display, "Americano");
		expect(await card(tablet, "queued", number).count()).toBe(0);
		down = false;
		await tablet.getByTestId("connection").getByText("Live").waitFor();
		await card(tablet, "queued", number).waitFor();
		await tablet.getByRole("button", { name: `Make order ${number}` }).click();
		await card(tablet, "making", number).waitFor();
	});
});
