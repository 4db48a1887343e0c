import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessibilityProblems, launchChromium, readQrCode, screenshotDir, type Chromium } from "./browser";
import { openBarista, openDisplay, openPhone, scan, shots } from "./screens";
import {
	act,
	attendeeOrder,
	baristaSession,
	createStore,
	currentCode,
	orderOf,
	storeOrders,
	storeView,
	tailEvents,
	walkUp,
} from "./staff";

/**
 * The screens at a venue whose Wi-Fi drops: the tablet, the display and a phone lose their network
 * (`context.setOffline`) for 20 s and for 61 s, real time. Each says so, the display stops vouching for its
 * code, what the barista taps meanwhile waits on the tablet and is replayed exactly once (the API and the
 * archived events say so), a tap that conflicts with what happened meanwhile is explained on its card, and
 * everything catches up by snapshot.
 */

let chrome: Chromium;

beforeAll(async () => {
	chrome = await launchChromium();
});

afterAll(async () => {
	await chrome?.close();
});

const card = (tablet: Page, lane: "queued" | "making" | "ready", number: number | null) =>
	tablet.locator(`.lane.${lane}`).getByRole("article", { name: `Order #${number}` });

/** The network of these devices goes down together, as a venue's Wi-Fi does. */
async function network(pages: Page[], up: boolean): Promise<void> {
	const contexts = new Set<BrowserContext>(pages.map((page) => page.context()));
	for (const context of contexts) await context.setOffline(!up);
}

/** The cut lasts this long from when it started, whatever the test did meanwhile. */
async function holdCut(startedAt: number, ms: number): Promise<void> {
	const left = startedAt + ms - Date.now();
	if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
}

/** An attendee orders on a phone from the code on the display; returns the phone and the order. */
async function phoneOrder(display: Page, drink: string): Promise<{ phone: Page; number: number; orderId: string }> {
	const phone = await openPhone(chrome, await scan(display, `venue-order-${drink}`));
	await phone.getByLabel(drink).check();
	await phone.getByRole("button", { name: `Order ${drink}` }).click();
	await phone.getByRole("heading", { name: "You're in the queue" }).waitFor();
	const number = Number((await phone.locator(".number").textContent())!.replace("#", ""));
	return { phone, number, orderId: new URL(phone.url()).searchParams.get("order")! };
}

/** What the display's code says, read as a phone camera would, is the store's current code. */
async function showsCurrentCode(display: Page, storeId: string, token: string, name: string): Promise<void> {
	const code = display.getByTestId("qr-code");
	await code.waitFor();
	expect(await readQrCode(code, name)).toBe(await currentCode(storeId, token));
}

const makeCount = (types: string[], type: string) => types.filter((t) => t === type).length;

describe("when the venue's Wi-Fi drops", () => {
	it("for 20 s: every screen says so, the display hides its code, the tablet's taps are replayed exactly once, and a conflict is explained on its card", async () => {
		const storeId = await createStore();
		const events = await tailEvents(storeId);
		const display = await openDisplay(chrome, storeId);
		const a = await phoneOrder(display, "Latte");
		const tablet = await openBarista(chrome, storeId, { name: "Sam" });
		const ana = await baristaSession(storeId, "Ana");
		const b = await walkUp(storeId, ana, { drink: "tea", name: "Bea" });
		const c = await walkUp(storeId, ana, { drink: "espresso", name: "Cy" });
		await card(tablet, "queued", c.number).waitFor();
		await tablet.getByRole("button", { name: `Make order ${c.number}` }).click();
		await card(tablet, "making", c.number).getByText("You are making it").waitFor();
		await display.getByTestId("qr-code").waitFor();
		const before = { a: await orderOf(a.orderId, ana), b: await orderOf(b.id, ana), c: await orderOf(c.id, ana) };

		const cutAt = Date.now();
		await network([tablet, display, a.phone], false);

		// Each screen says it in words; the display takes its code down, and its boards say since when they are stale.
		await tablet.getByTestId("connection").getByText("Offline").waitFor();
		await tablet.getByText(/^Not live since \d\d:\d\d: the board may be out of date/).waitFor();
		await display.getByRole("heading", { name: "Reconnecting…" }).waitFor();
		expect(await display.getByTestId("qr-code").count()).toBe(0);
		await display
			.getByText(/^Not updated since \d\d:\d\d$/)
			.first()
			.waitFor();
		await display
			.getByTestId("connection")
			.getByText(/^Offline since \d\d:\d\d/)
			.waitFor();
		await a.phone
			.getByTestId("connection")
			.getByText(/^Offline since \d\d:\d\d/)
			.waitFor();

		// The barista keeps working: each tap waits on the tablet, on its card.
		await tablet.getByRole("button", { name: `Make order ${a.number}` }).click();
		await card(tablet, "making", a.number).getByText("Make: will send when back online").waitFor();
		await tablet.getByRole("button", { name: `Ready order ${c.number}` }).click();
		await card(tablet, "ready", c.number).getByText("Ready: will send when back online").waitFor();
		// Meanwhile Ana, on a tablet that still has its network, starts Bea's tea; this tablet does not know.
		await act(b.id, "claim", ana);
		await tablet.getByRole("button", { name: `Make order ${b.number}` }).click();
		await card(tablet, "making", b.number).getByText("Make: will send when back online").waitFor();
		// A walk-up at the counter, and a drink sold out.
		await tablet.getByRole("button", { name: "Walk-up order" }).click();
		const drawer = tablet.getByRole("dialog", { name: "Walk-up order" });
		await drawer.getByLabel("Espresso").check();
		await drawer.getByLabel("Name for the cup").fill("Olga");
		await drawer.getByRole("button", { name: "Add Espresso to the queue" }).click();
		await drawer.waitFor({ state: "hidden" });
		await tablet
			.locator(".lane.queued article", { hasText: "Olga" })
			.getByText("Walk-up: will send when back online")
			.waitFor();
		await tablet.getByRole("button", { name: "Store menu" }).click();
		await tablet.getByRole("button", { name: "Menu and settings" }).click();
		const panel = tablet.getByRole("dialog", { name: "Menu and settings" });
		await panel.getByRole("group", { name: "Drinks" }).getByRole("switch", { name: "Mocha" }).uncheck();
		expect(await panel.getByRole("group", { name: "Drinks" }).getByRole("switch", { name: "Mocha" }).isChecked()).toBe(
			false,
		);
		await panel.getByRole("button", { name: "Done" }).click();
		await tablet.getByText("5 taps waiting to be sent.").waitFor();
		await shots(tablet, "venue-tablet-offline", ["tablet"]);
		await shots(display, "venue-display-offline", ["tv"]);
		await shots(a.phone, "venue-phone-offline", ["phone"]);
		expect(await accessibilityProblems(tablet)).toEqual([]);

		// The attendee tries to cancel meanwhile: the phone says there is no connection.
		await a.phone.getByRole("button", { name: "Cancel order" }).click();
		await a.phone
			.getByRole("dialog", { name: "Cancel this order?" })
			.getByRole("button", { name: "Yes, cancel it" })
			.click();
		const noConnection = a.phone.getByText("No connection. Check your Wi-Fi or mobile data and try again.");
		await noConnection.waitFor();

		await holdCut(cutAt, 20_000);
		await network([tablet, display, a.phone], true);
		// The phone's "No connection" goes by itself once it is live again.
		await noConnection.waitFor({ state: "detached" });

		// Live again: the taps are replayed in order, and nothing waits any more.
		await tablet.getByTestId("connection").getByText("Live").waitFor();
		await expect.poll(() => tablet.getByText(/will send when back online/).count()).toBe(0);
		await card(tablet, "making", a.number).getByText("You are making it").waitFor();
		await card(tablet, "ready", c.number).waitFor();
		// The one that conflicts is explained on its card.
		const conflict = card(tablet, "making", b.number);
		await conflict
			.getByRole("alert")
			.filter({ hasText: `Not done: “Make” #${b.number}. Ana started making it while this tablet was offline.` })
			.waitFor();
		await conflict.getByText("Ana is making it").waitFor();
		await shots(tablet, "venue-tablet-back", ["tablet"]);
		expect(await accessibilityProblems(tablet)).toEqual([]);
		await conflict.getByRole("button", { name: `OK order ${b.number}` }).click();
		expect(await conflict.getByRole("alert").count()).toBe(0);

		// Exactly once each, as the API and the archived events say.
		const after = { a: await orderOf(a.orderId, ana), b: await orderOf(b.id, ana), c: await orderOf(c.id, ana) };
		expect([after.a.state, after.a.version, after.a.baristaName]).toEqual(["MAKING", before.a.version + 1, "Sam"]);
		expect([after.c.state, after.c.version]).toEqual(["READY", before.c.version + 1]);
		expect([after.b.state, after.b.version, after.b.baristaName]).toEqual(["MAKING", before.b.version + 1, "Ana"]);
		await expect.poll(() => makeCount(events.ofOrder(a.orderId), "OrderManager.MakeOrder")).toBe(1);
		await expect.poll(() => makeCount(events.ofOrder(c.id), "OrderManager.OrderCompleted")).toBe(1);
		await expect.poll(() => makeCount(events.ofOrder(b.id), "OrderManager.MakeOrder")).toBe(1);
		const olga = (await storeOrders(storeId, ana)).filter((order) => order.name === "Olga");
		expect(olga.map((order) => order.state)).toEqual(["QUEUED"]);
		await card(tablet, "queued", olga[0]!.number).waitFor();
		expect((await storeView(storeId)).menu.drinks.find((drink) => drink.id === "mocha")?.available).toBe(false);
		events.close();

		// The display and the phone caught up by snapshot: the current code, the boards, the order's news.
		await showsCurrentCode(display, storeId, ana, "venue-display-back-qr");
		await display.getByTestId("connection").getByText("Live").waitFor();
		expect(await display.getByText(/^Not updated since/).count()).toBe(0);
		await display.locator(".board.ready li", { hasText: String(c.number) }).waitFor();
		await display.locator(".board.preparing li", { hasText: "Olga" }).waitFor();
		await a.phone.getByTestId("connection").getByText("Live").waitFor();
		await a.phone.getByText("Sam is making it now.").waitFor();
		await shots(display, "venue-display-back", ["tv"]);
	}, 240_000);

	it("for 61 s, with the tablet reloaded meanwhile: its taps survive the reload, and every screen catches up by snapshot", async () => {
		const storeId = await createStore();
		const events = await tailEvents(storeId);
		const display = await openDisplay(chrome, storeId);
		const a = await phoneOrder(display, "Cappuccino");
		const tablet = await openBarista(chrome, storeId, { name: "Sam" });
		const ana = await baristaSession(storeId, "Ana");
		await card(tablet, "queued", a.number).waitFor();
		// The app is installed (its service worker holds the page), so it opens without a network.
		await expect
			.poll(() => tablet.evaluate(async () => (await navigator.serviceWorker.ready).active?.state))
			.toBe("activated");
		const before = await orderOf(a.orderId, ana);

		const cutAt = Date.now();
		await network([tablet, display, a.phone], false);
		await tablet.getByTestId("connection").getByText("Offline").waitFor();
		await display.getByRole("heading", { name: "Reconnecting…" }).waitFor();
		await a.phone
			.getByTestId("connection")
			.getByText(/^Offline since/)
			.waitFor();

		await tablet.getByRole("button", { name: `Make order ${a.number}` }).click();
		await card(tablet, "making", a.number).getByText("Make: will send when back online").waitFor();
		// Someone reloads the tablet while the Wi-Fi is still down: the tap is still there, waiting.
		await tablet.reload();
		await tablet.getByTestId("connection").getByText("Offline").waitFor();
		await tablet.getByText("1 tap waiting to be sent.").waitFor();
		await tablet
			.getByRole("listitem")
			.filter({ hasText: `“Make” #${a.number}` })
			.waitFor();
		await shots(tablet, "venue-tablet-reloaded-offline", ["tablet"]);
		// Meanwhile the bar goes on: a walk-up from the other tablet.
		const dee = await walkUp(storeId, ana, { drink: "americano", name: "Dee" });
		expect(await display.getByTestId("qr-code").count()).toBe(0);

		await holdCut(cutAt, 61_000);
		await network([tablet, display, a.phone], true);

		await tablet.getByTestId("connection").getByText("Live").waitFor();
		await card(tablet, "making", a.number).getByText("You are making it").waitFor();
		await card(tablet, "queued", dee.number).waitFor();
		expect(await tablet.getByText(/waiting to be sent/).count()).toBe(0);
		const after = await orderOf(a.orderId, ana);
		expect([after.state, after.version, after.baristaName]).toEqual(["MAKING", before.version + 1, "Sam"]);
		await expect.poll(() => makeCount(events.ofOrder(a.orderId), "OrderManager.MakeOrder")).toBe(1);
		events.close();

		await showsCurrentCode(display, storeId, ana, "venue-display-61s-qr");
		await display.locator(".board.preparing li", { hasText: "Dee" }).waitFor();
		await a.phone.getByTestId("connection").getByText("Live").waitFor();
		await a.phone.getByText("Sam is making it now.").waitFor();
	}, 300_000);
});

describe("when the answer to a tap is lost on the way", () => {
	/** The Wi-Fi drops just after the request reached the server: the device never hears the answer. */
	async function loseFirstAnswer(page: Page, path: string): Promise<string[]> {
		const keys: string[] = [];
		await page.route(path, async (route) => {
			keys.push(route.request().headers()["idempotency-key"] ?? "");
			if (keys.length > 1) return route.continue();
			await route.fetch();
			await route.abort("internetdisconnected");
		});
		return keys;
	}

	it("the tablet sends it again with the same key, and the server does it once", async () => {
		const storeId = await createStore();
		const events = await tailEvents(storeId);
		const ana = await baristaSession(storeId, "Ana");
		const order = await walkUp(storeId, ana, { drink: "latte", name: "Lin" });
		const tablet = await openBarista(chrome, storeId, { name: "Sam" });
		const keys = await loseFirstAnswer(tablet, "**/api/orders/*/claim");

		await tablet.getByRole("button", { name: `Make order ${order.number}` }).click();
		await expect.poll(() => keys.length).toBe(2);
		expect(keys[1]).toBe(keys[0]);
		expect(keys[0]).toMatch(/^[0-9a-f]{32}$/);
		await expect.poll(() => tablet.getByText(/will send when back online|sending…/).count()).toBe(0);
		await card(tablet, "making", order.number).getByText("You are making it").waitFor();
		// Not refused as "already being made": the server answered the repeat with its first answer.
		expect(await card(tablet, "making", order.number).getByRole("alert").count()).toBe(0);
		const after = await orderOf(order.id, ana);
		expect([after.version, after.baristaName]).toEqual([order.version + 1, "Sam"]);
		await expect.poll(() => makeCount(events.ofOrder(order.id), "OrderManager.MakeOrder")).toBe(1);
		events.close();
	});

	it("the phone's second tap on Cancel sends the same key and gets the first answer, not a refusal", async () => {
		const storeId = await createStore();
		const display = await openDisplay(chrome, storeId);
		const url = await scan(display, "venue-cancel-qr-code");
		// The phone's order socket goes down too, so only the reply to its tap could have told it.
		const phone = await (await chrome.context("phone")).newPage();
		let down = false;
		const links: { close(): Promise<void> }[] = [];
		await phone.routeWebSocket(/\/api\/orders\/[^/]+\/ws/, (socket) => {
			if (down) return void socket.close();
			socket.connectToServer();
			links.push(socket);
		});
		await phone.goto(url);
		await phone.getByLabel("Tea").check();
		await phone.getByRole("button", { name: "Order Tea" }).click();
		await phone.getByRole("heading", { name: "You're in the queue" }).waitFor();
		down = true;
		await Promise.all(links.map((link) => link.close()));
		const keys = await loseFirstAnswer(phone, "**/api/orders/*/cancel");

		const cancel = async () => {
			await phone.getByRole("button", { name: "Cancel order" }).click();
			await phone
				.getByRole("dialog", { name: "Cancel this order?" })
				.getByRole("button", { name: "Yes, cancel it" })
				.click();
		};
		await cancel();
		await phone.getByText("No connection. Check your Wi-Fi or mobile data and try again.").waitFor();
		const answer = phone.waitForResponse((response) => response.url().endsWith("/cancel"));
		await cancel();
		expect((await answer).headers()["idempotent-replayed"]).toBe("true");
		await phone.getByRole("heading", { name: "Order cancelled" }).waitFor();
		await phone.getByText("You cancelled this order.").waitFor();
		expect(keys).toHaveLength(2);
		expect(keys[1]).toBe(keys[0]);
		expect(await phone.getByText("No connection").count()).toBe(0);
		const orderId = new URL(phone.url()).searchParams.get("order")!;
		expect((await orderOf(orderId, await baristaSession(storeId, "Ana"))).state).toBe("CANCELLED");
	});
});

describe("the kitchen-display board", () => {
	it("shows at least 8 of 12 open tickets at 1024×768, and lays them out for portrait at 768×1024 with nothing clipped", async () => {
		const storeId = await createStore({ drinksPerCode: 50, capacity: 50 });
		const ana = await baristaSession(storeId, "Ana");
		const choices: { drink: string; options?: Record<string, string | string[]>; name: string }[] = [
			{ drink: "latte", options: { milk: "oat", size: "large", syrup: ["vanilla"] }, name: "Ada Lovelace" },
			{ drink: "cappuccino", name: "Grace" },
			{ drink: "espresso", options: { shots: "double" }, name: "Alan" },
			{ drink: "flat-white", options: { milk: "soy" }, name: "Katherine" },
			{ drink: "mocha", options: { size: "small", syrup: ["caramel"] }, name: "Margaret" },
			{ drink: "americano", name: "Linus" },
			{ drink: "tea", options: { sugar: "two" }, name: "Barbara" },
			{ drink: "latte", name: "Tim" },
			{ drink: "cappuccino", options: { milk: "almond" }, name: "Radia" },
			{ drink: "latte", options: { shots: "decaf", milk: "none" }, name: "Frances" },
			{ drink: "espresso", name: "Dennis" },
			{ drink: "americano", options: { size: "large" }, name: "Ken" },
		];
		const orders = [];
		for (const choice of choices) orders.push(await attendeeOrder(storeId, ana, choice));
		for (const order of orders.slice(0, 3)) await act(order.id, "claim", ana);
		const ready = await walkUp(storeId, ana, { drink: "tea", name: "Joan" });
		await act(ready.id, "claim", ana);
		await act(ready.id, "complete", ana);

		const tablet = await openBarista(chrome, storeId, { name: "Sam" });
		await card(tablet, "queued", orders.at(-1)!.number).waitFor();
		// Only what differs from the drink's defaults, highlighted: Ada's latte says Large, Oat, Vanilla and nothing else.
		expect(await card(tablet, "making", orders[0]!.number).locator("li").allTextContents()).toEqual([
			"Size: Large",
			"Milk: Oat",
			"Syrup: Vanilla",
		]);
		expect(await card(tablet, "queued", orders[1]!.number).locator("li").count()).toBe(0);
		// Cancel is in the card's menu, never beside Make.
		const first = card(tablet, "queued", orders[3]!.number);
		expect(await first.getByRole("button", { name: `Make order ${orders[3]!.number}` }).isVisible()).toBe(true);
		expect(await tablet.getByRole("button", { name: `Cancel order ${orders[3]!.number}` }).isVisible()).toBe(false);
		await first.getByRole("button", { name: `More for order ${orders[3]!.number}` }).click();
		expect(await tablet.getByRole("button", { name: `Cancel order ${orders[3]!.number}` }).isVisible()).toBe(true);
		await tablet.keyboard.press("Escape");

		const visible = await fullyVisibleTickets(tablet);
		expect(visible.total).toBe(12);
		expect(visible.count).toBeGreaterThanOrEqual(8);
		// The header stays on screen, on one row, however far a lane scrolls.
		await tablet.locator(".lane.queued .cards").evaluate((cards) => cards.scrollTo(0, cards.scrollHeight));
		expect(await tablet.getByRole("banner").boundingBox()).toMatchObject({ y: 0 });
		expect((await tablet.getByRole("banner").boundingBox())!.height).toBeLessThan(64);
		await shots(tablet, "kds-1024x768", ["tablet"]);
		expect(await accessibilityProblems(tablet)).toEqual([]);

		await tablet.setViewportSize({ width: 768, height: 1024 });
		await expect.poll(() => lanesSideBySide(tablet)).toBe(true);
		expect(await overflowing(tablet)).toEqual([]);
		expect((await tablet.getByRole("banner").boundingBox())!.height).toBeLessThan(64);
		await tablet.screenshot({ path: `${screenshotDir}/kds-768x1024.png` });
		expect(await accessibilityProblems(tablet)).toEqual([]);
	});
});

describe("the display, from 5 m", () => {
	it("shows names and Calling at 48 px or more at 1080p, a code over 60% of the screen's height, and no sign-out in sight", async () => {
		const storeId = await createStore();
		const ana = await baristaSession(storeId, "Ana");
		const display = await openDisplay(chrome, storeId);
		await display.getByTestId("qr-code").waitFor();
		await walkUp(storeId, ana, { drink: "latte", name: "Grace" });
		const called = await walkUp(storeId, ana, { drink: "tea", name: "Ada" });
		await act(called.id, "claim", ana);
		await act(called.id, "complete", ana);
		await act(called.id, "remind", ana);
		await display.locator(".board.ready li.calling").getByText("Calling").waitFor();

		const sizes = await display.evaluate(() => ({
			names: [...document.querySelectorAll(".board .name")].map((name) => parseFloat(getComputedStyle(name).fontSize)),
			calling: parseFloat(getComputedStyle(document.querySelector(".board .call")!).fontSize),
		}));
		expect(sizes.names).toHaveLength(2);
		for (const size of sizes.names) expect(size).toBeGreaterThanOrEqual(48);
		expect(sizes.calling).toBeGreaterThanOrEqual(48);
		// The code's modules, without its quiet zone, against the screen's height.
		const modules = await display.getByTestId("qr-code").evaluate((code) => {
			const svg = code.querySelector("svg")!;
			const box = svg.querySelector("path")!.getBBox();
			return (svg.getBoundingClientRect().height * box.height) / svg.viewBox.baseVal.height / window.innerHeight;
		});
		expect(modules).toBeGreaterThanOrEqual(0.6);
		// Sign-out is for staff: in a small corner menu, not on the public screen.
		expect(await display.getByRole("button", { name: "Sign out" }).isVisible()).toBe(false);
		await shots(display, "display-1920x1080", ["tv"]);
		await display.getByRole("button", { name: "Screen settings" }).click();
		expect(await display.getByRole("button", { name: "Sign out" }).isVisible()).toBe(true);
		expect(await accessibilityProblems(display)).toEqual([]);
		await display.getByRole("button", { name: "Sign out" }).click();
		await display.getByRole("textbox", { name: "Display PIN" }).waitFor();
	});
});

/** Tickets whose whole card is on screen, inside its lane's scrolling area. */
async function fullyVisibleTickets(tablet: Page): Promise<{ count: number; total: number }> {
	return tablet.evaluate(() => {
		const tickets = [...document.querySelectorAll<HTMLElement>(".lane.queued article, .lane.making article")];
		const shown = tickets.filter((ticket) => {
			const box = ticket.getBoundingClientRect();
			const lane = ticket.closest(".cards")!.getBoundingClientRect();
			return (
				box.top >= Math.max(0, lane.top) &&
				box.bottom <= Math.min(window.innerHeight, lane.bottom) &&
				box.left >= 0 &&
				box.right <= window.innerWidth
			);
		});
		return { count: shown.length, total: tickets.length };
	});
}

/** Queued and Making next to each other, as a portrait layout for a tablet held upright. */
async function lanesSideBySide(tablet: Page): Promise<boolean> {
	const [queued, making] = [
		await tablet.locator(".lane.queued").boundingBox(),
		await tablet.locator(".lane.making").boundingBox(),
	];
	return queued !== null && making !== null && queued.y === making.y && queued.x + queued.width <= making.x;
}

/** Every element whose content is wider than its box (text clipped or spilling over), and a page wider than the screen. */
async function overflowing(page: Page): Promise<string[]> {
	return page.evaluate(() => {
		const problems: string[] = [];
		if (document.documentElement.scrollWidth > window.innerWidth)
			problems.push(`page: ${document.documentElement.scrollWidth} px wide`);
		for (const element of document.querySelectorAll<HTMLElement>("body *")) {
			// Text for screen readers only is a 1-px box by design.
			if (element.closest(".visually-hidden") || element.getClientRects().length === 0) continue;
			if (element.scrollWidth > element.clientWidth + 1 && getComputedStyle(element).display !== "inline") {
				problems.push(
					`${element.tagName.toLowerCase()}.${element.className}: ${element.scrollWidth} > ${element.clientWidth} "${element.textContent?.trim().slice(0, 40)}"`,
				);
			}
		}
		return problems;
	});
}
