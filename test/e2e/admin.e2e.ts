import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { accessibilityProblems, launchChromium, type Chromium } from "./browser";
import { loadedFiles, openBarista, openDisplay, openPhone, reportRouteSize, scan, shots } from "./screens";

/**
 * The organiser's screen: a coffee bar created, its menu, settings and PINs edited there and seen on the
 * other screens, and its analytics drawn as charts from the history an order leaves.
 */

let chrome: Chromium;

beforeAll(async () => {
	chrome = await launchChromium();
});

afterAll(async () => {
	await chrome?.close();
});

/** How many pixels of a chart's canvas are painted. */
function painted(page: Page, chart: string): Promise<number> {
	return page.getByTestId(`chart-${chart}`).evaluate((canvas: HTMLCanvasElement) => {
		const { data } = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height);
		let count = 0;
		for (let alpha = 3; alpha < data.length; alpha += 4) if (data[alpha]! > 0) count++;
		return count;
	});
}

describe("the admin screen", () => {
	it("creates a coffee bar, edits its menu, settings and PINs, and charts its analytics", async () => {
		const admin = await (await chrome.context("tablet")).newPage();
		const loaded = loadedFiles(admin);
		await admin.goto(`${inject("origin")}/admin`);
		await admin.getByLabel("Admin token").fill(inject("adminToken"));
		await shots(admin, "admin-sign-in", ["tablet", "phone"]);
		expect(await accessibilityProblems(admin)).toEqual([]);
		await admin.getByRole("button", { name: "Sign in with the token" }).click();
		await admin.getByRole("heading", { name: "Coffee bars" }).waitFor();
		reportRouteSize("/admin", loaded, { js: 80 * 1024, css: 10 * 1024 });

		// A new coffee bar: its id is made from its name.
		const suffix = crypto.randomUUID().slice(0, 6);
		const name = `Expo Hall ${suffix}`;
		await admin.getByLabel("Name").fill(name);
		expect(await admin.getByLabel("Id (in its links)").getAttribute("placeholder")).toBe(`expo-hall-${suffix}`);
		await admin.getByLabel("Barista PIN").fill("1234");
		await admin.getByLabel("Admin PIN").fill("5678");
		await admin.getByLabel("Display PIN (optional)").fill("2468");
		await admin.getByLabel("Open for orders straight away").check();
		await shots(admin, "admin-stores", ["tablet", "phone"]);
		expect(await accessibilityProblems(admin)).toEqual([]);
		await admin.getByRole("button", { name: "Create", exact: true }).click();
		await admin.getByRole("heading", { name, level: 1 }).waitFor();
		const storeId = new URL(admin.url()).searchParams.get("store")!;
		expect(storeId).toBe(`expo-hall-${suffix}`);

		// Settings: only what changed is sent, and it sticks.
		await admin.getByLabel("Drinks per QR code").fill("5");
		await shots(admin, "admin-settings", ["tablet", "phone"]);
		expect(await accessibilityProblems(admin)).toEqual([]);
		await admin.getByRole("button", { name: "Save settings" }).click();
		await admin.getByText("Saved.").waitFor();

		// The menu gets a new drink, with two of the option groups.
		await admin.getByRole("link", { name: "Menu" }).click();
		await admin.getByRole("button", { name: "Add a drink" }).click();
		await admin.getByRole("group", { name: "New drink" }).getByLabel("Name").fill("Matcha Latte");
		const matcha = admin.getByRole("group", { name: "Matcha Latte" });
		await matcha.getByLabel("Icon").selectOption({ label: "Teacup" });
		await matcha.getByLabel("Description").fill("Ceremonial grade, whisked to order");
		const offers = matcha.getByRole("group", { name: "Options it offers" });
		await offers.getByLabel("Size").check();
		await offers.getByLabel("Milk").check();
		await shots(admin, "admin-menu", ["tablet", "phone"]);
		expect(await accessibilityProblems(admin)).toEqual([]);
		await admin.getByRole("button", { name: "Save the menu" }).click();
		await admin.getByText("Saved.").waitFor();

		// An attendee finds it on the phone, and orders it.
		const display = await openDisplay(chrome, storeId);
		await display.getByText("5 of 5 drinks left").waitFor();
		const phone = await openPhone(chrome, await scan(display, "admin-qr-code"));
		await phone.getByLabel("Matcha Latte").check();
		await phone.getByText("Ceremonial grade, whisked to order").waitFor();
		await phone.getByRole("group", { name: "Milk" }).getByLabel("Oat").check();
		await phone.getByRole("button", { name: "Order Matcha Latte" }).click();
		await phone.getByRole("heading", { name: "You're in the queue" }).waitFor();

		// Another attendee changes their mind: a cancellation for the analytics.
		const undecided = await openPhone(chrome, await scan(display, "admin-qr-code-2"));
		await undecided.getByLabel("Tea").check();
		await undecided.getByRole("button", { name: "Order Tea" }).click();
		await undecided.getByRole("button", { name: "Cancel order" }).click();
		await undecided.getByRole("button", { name: "Yes, cancel it" }).click();
		await undecided.getByRole("heading", { name: "Order cancelled" }).waitFor();

		// New PINs: the old barista PIN stops working, the new one opens the tablet, which makes the drink.
		await admin.getByRole("link", { name: "Staff PINs" }).click();
		await admin.getByLabel("New barista PIN").fill("4321");
		await shots(admin, "admin-pins", ["tablet", "phone"]);
		expect(await accessibilityProblems(admin)).toEqual([]);
		await admin.getByRole("button", { name: "Change PINs" }).click();
		await admin.getByText("PINs changed. Every staff device must sign in again.").waitFor();
		const refused = await (await chrome.context("tablet")).newPage();
		await refused.goto(`${inject("origin")}/barista?store=${storeId}`);
		await refused.getByLabel("Store PIN").fill("1234");
		await refused.getByRole("button", { name: "Sign in" }).click();
		await refused.getByText("That PIN is not right.").waitFor();
		const tablet = await openBarista(chrome, storeId, { name: "Noor", pin: "4321" });
		const number = Number((await phone.locator(".number").textContent())!.replace("#", ""));
		await tablet.getByRole("button", { name: `Make order ${number}` }).click();
		await tablet.getByRole("button", { name: `Ready order ${number}` }).click();
		await phone.getByRole("heading", { name: `Ready — order #${number}` }).waitFor();

		// Someone keeps guessing the PIN from this network: the admin sees the lock and clears it.
		for (let i = 0; i < 10; i++) {
			await fetch(`${inject("origin")}/api/stores/${storeId}/staff/session`, {
				method: "POST",
				headers: { "content-type": "application/json" },
				body: '{"pin":"0000"}',
			});
		}
		await admin.getByRole("button", { name: "Refresh" }).click();
		await admin.getByText(/^The network .+: 10 wrong PINs, locked until/).waitFor();
		await shots(admin, "admin-sign-in-locks", ["tablet"]);
		await admin.getByRole("button", { name: "Clear sign-in locks" }).click();
		await admin.getByText("1 lock cleared.").waitFor();
		await admin.getByText("No sign-in is locked.").waitFor();

		// Analytics: the numbers the order left, and five charts drawn by Chart.js (loaded only now).
		const chartFiles = loadedFiles(admin);
		await admin.getByRole("link", { name: "Analytics" }).click();
		const ready = admin.locator(".totals div", { hasText: "Ready" }).locator("dd");
		await expect
			.poll(async () => {
				await admin.getByRole("button", { name: "Refresh" }).click();
				return ready.textContent();
			})
			.toBe("1");
		expect(await admin.locator(".totals div", { hasText: "Ordered" }).locator("dd").textContent()).toBe("2");
		expect(await admin.locator(".totals div", { hasText: "Cancelled" }).locator("dd").textContent()).toBe("1");
		for (const chart of ["per-hour", "times", "endings", "drinks", "options"]) {
			await expect.poll(() => painted(admin, chart)).toBeGreaterThan(500);
		}
		await admin.getByText("Show the numbers").nth(3).click();
		expect(await admin.getByRole("figure", { name: "Popular drinks" }).getByRole("row").allTextContents()).toEqual([
			"DrinkOrders",
			"Matcha Latte1",
			"Tea1",
		]);
		await shots(admin, "admin-analytics", ["tablet", "phone"]);
		expect(await accessibilityProblems(admin)).toEqual([]);
		reportRouteSize("/admin analytics (the Chart.js chunk)", chartFiles, { js: 80 * 1024, css: 4 * 1024 });

		// A store's admin PIN opens that store only.
		const organiser = await (await chrome.context("tablet")).newPage();
		await organiser.goto(`${inject("origin")}/admin?store=${storeId}`);
		await organiser.getByLabel("Admin PIN").fill("5678");
		await organiser.getByRole("button", { name: "Sign in with the PIN" }).click();
		await organiser.getByRole("heading", { name, level: 1 }).waitFor();
		expect(await organiser.getByRole("link", { name: "edgepresso admin" }).count()).toBe(0);
		expect(chrome.cspViolations).toEqual([]);
	});
});
