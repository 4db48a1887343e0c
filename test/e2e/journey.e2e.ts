import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessibilityProblems, launchChromium, type Chromium } from "./browser";
import { openBarista, openPhone, shots } from "./screens";
import { baristaSession, createStore, currentCode } from "./staff";

/**
 * The order journey: the attendee orders on the phone, the barista makes it on the tablet, the phone opens
 * the journey from its ready screen and shares it, and a fresh browser opens the link and sees the timeline
 * of services without the attendee's name. The tablet opens the same journey from the ticket's menu.
 */

let chrome: Chromium;

beforeAll(async () => {
	chrome = await launchChromium();
});

afterAll(async () => {
	await chrome?.close();
});

/** A fresh store with a barista signed in, and a phone (that may copy to the clipboard) whose latte is queued. */
async function queuedLatte(cupName: string, baristaName: string) {
	const storeId = await createStore();
	const tablet = await openBarista(chrome, storeId, { name: baristaName });
	const phone = await openPhone(chrome, await currentCode(storeId, await baristaSession(storeId, "Setup")));
	await phone.context().grantPermissions(["clipboard-read", "clipboard-write"]);
	await phone.getByLabel("Latte").check();
	await phone.getByLabel("Name for the cup").fill(cupName);
	await phone.getByRole("button", { name: "Order Latte" }).click();
	await phone.getByRole("heading", { name: "You're in the queue" }).waitFor();
	const number = Number((await phone.locator(".number").textContent())!.replace("#", ""));
	return { tablet, phone, number };
}

const services = ["Scan", "Validator", "OrderProcessor", "OrderManager", "notifier"];

describe("an order's journey", () => {
	it("is opened from the ready screen, shared, and shown to a fresh browser without the attendee's name", async () => {
		const { tablet, phone, number } = await queuedLatte("Ada Lovelace", "Sam Brewer");

		await tablet.getByRole("button", { name: `Make order ${number}` }).click();
		await tablet.getByRole("button", { name: `Ready order ${number}` }).click();
		await phone.getByRole("heading", { name: `Ready — order #${number}` }).waitFor();

		await phone.getByRole("link", { name: "See its journey" }).click();
		await phone.getByRole("heading", { name: "Order journey" }).waitFor();
		// The archive lags the order by the queue: the page catches up on its own, with no reload.
		await phone.getByText("The whole journey.").waitFor();
		expect(await phone.locator(".chain li").allTextContents()).toEqual(services);
		expect(await phone.locator(".steps .what strong").allTextContents()).toEqual([
			"NewOrder",
			"WorkflowStarted",
			"WaitingCompletion",
			"MakeOrder",
			"OrderCompleted",
		]);
		expect(await phone.getByText(`Order #${number}`).isVisible()).toBe(true);
		await shots(phone, "journey-own", ["phone", "tablet"]);
		expect(await accessibilityProblems(phone)).toEqual([]);

		await phone.getByRole("button", { name: "Share" }).click();
		const link = await phone.getByLabel("Share link").inputValue();
		expect(link).toMatch(/\/journey\?share=[0-9a-f-]{36}\.\d+\.[A-Za-z0-9_-]{43}$/);
		await phone.getByText("Link copied.").waitFor();
		expect(await phone.evaluate(() => navigator.clipboard.readText())).toBe(link);

		// Someone else, on a device that never signed in.
		const friend = await openPhone(chrome, link);
		await friend.getByText("The whole journey.").waitFor();
		expect(await friend.locator(".steps > li").count()).toBe(5);
		expect(await friend.locator(".chain li").allTextContents()).toEqual(services);
		const text = await friend.locator("body").innerText();
		expect(text).not.toMatch(/Ada|Lovelace|Sam|Brewer/);
		expect(text).toContain("Latte");
		expect(await friend.getByRole("button", { name: "Share" }).count()).toBe(0);
		await shots(friend, "journey-shared", ["phone", "tablet"]);
		expect(await accessibilityProblems(friend)).toEqual([]);

		// A forged link shows that it does not work, and nothing else.
		const forged = await openPhone(chrome, link.replace(/.{4}$/, "AAAA"));
		await forged.getByText("This journey link has expired, or the journey is no longer kept.").waitFor();
		expect(await forged.locator(".steps").count()).toBe(0);

		// Staff open the same journey from the ticket's menu.
		await tablet.getByRole("button", { name: `More for order ${number}` }).click();
		const [staffView] = await Promise.all([
			tablet.waitForEvent("popup"),
			tablet.getByRole("button", { name: `See its journey order ${number}` }).click(),
		]);
		await staffView.getByText("The whole journey.").waitFor();
		expect(await staffView.locator(".steps > li").count()).toBe(5);
		await shots(staffView, "journey-staff", ["tablet"]);
	});

	it("updates on its own while the order is made, for its attendee and for a share link that hears no socket", async () => {
		const { tablet, phone, number } = await queuedLatte("Grace Hopper", "Sam");
		const orderId = new URL(phone.url()).searchParams.get("order")!;

		// The order is still queued: its journey so far, and a link to it.
		await phone.goto(new URL(`/journey?order=${orderId}`, phone.url()).toString());
		await phone.getByText("Still in progress: new steps appear as they are archived.").waitFor();
		await phone.getByRole("button", { name: "Share" }).click();
		const link = await phone.getByLabel("Share link").inputValue();

		// A fresh browser opens the link: it never opens a socket (the order's socket carries the name).
		const friend = await (await chrome.context("phone")).newPage();
		const sockets: string[] = [];
		friend.on("websocket", (socket) => sockets.push(socket.url()));
		const reads: string[] = [];
		friend.on("request", (request) => {
			if (new URL(request.url()).pathname.startsWith("/api/journeys/")) reads.push(request.url());
		});
		await friend.goto(link);
		await friend.getByText("Still in progress: new steps appear as they are archived.").waitFor();
		expect(await friend.getByRole("button", { name: "Refresh" }).count()).toBe(0);

		await tablet.getByRole("button", { name: `Make order ${number}` }).click();
		await tablet.getByRole("button", { name: `Ready order ${number}` }).click();

		// Both views reach the end of the journey with no reload and no button pressed.
		await friend.getByText("The whole journey.").waitFor();
		await phone.getByText("The whole journey.").waitFor();
		expect(await friend.locator(".steps > li").count()).toBe(5);
		expect(await phone.locator(".steps > li").count()).toBe(5);
		expect(sockets).toEqual([]);
		expect(await friend.locator("body").innerText()).not.toMatch(/Grace|Hopper/);

		// Complete: the shared view stops asking. (Had it gone on, it would ask again within a second.)
		const asked = reads.length;
		await friend.waitForTimeout(2500);
		expect(reads.length).toBe(asked);
	});
});
