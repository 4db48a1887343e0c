import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { accessibilityProblems, launchChromium, type Chromium } from "./browser";
import { shots } from "./screens";
import { attendeeOrder, baristaSession, createStore } from "./staff";

/**
 * The admin screen's extensions: an endpoint added, its deliveries listed, paused, its dead letters sent
 * again, and deleted. The endpoint's host does not exist, so every delivery fails; the browser suite's system dead-letters
 * a delivery after one attempt (test/e2e/system.ts).
 */

let chrome: Chromium;

beforeAll(async () => {
	chrome = await launchChromium();
});

afterAll(async () => {
	await chrome?.close();
});

/** Refreshes the open deliveries until `count` rows show `status`. */
async function rowsUntil(page: Page, status: string, count: number): Promise<void> {
	for (;;) {
		if ((await page.locator(`tr[data-status="${status}"]`).count()) === count) return;
		await page.getByRole("button", { name: "Refresh" }).click();
		await page.getByRole("button", { name: "Refresh" }).and(page.locator(":enabled")).waitFor();
	}
}

describe("the admin screen's extensions", () => {
	it("adds a webhook endpoint, lists its deliveries, pauses it, sends its dead letters again and deletes it", async () => {
		const storeId = await createStore();
		const barista = await baristaSession(storeId, "Sam");
		const admin = await (await chrome.context("tablet")).newPage();
		await admin.goto(`${inject("origin")}/admin`);
		await admin.getByLabel("Admin token").fill(inject("adminToken"));
		await admin.getByRole("button", { name: "Sign in with the token" }).click();
		await admin.getByRole("link", { name: "Extensions" }).click();
		await admin.getByRole("heading", { name: "Extensions (webhooks)" }).waitFor();

		const url = `https://hooks.${storeId}.invalid/ready-drinks`;
		await admin.getByLabel("URL (https)").fill(url);
		await admin.getByLabel("Event types").fill("OrderManager.WaitingCompletion");
		await admin.getByLabel("Only these coffee bars (optional)").fill(storeId);
		await admin.getByLabel("Description").fill("Drinks to the team chat");
		await admin.getByRole("button", { name: "Add the endpoint" }).click();
		expect(await admin.getByTestId("webhook-secret").textContent()).toMatch(/^whsec_/);
		const endpoint = admin.getByRole("listitem", { name: url });
		await endpoint.getByText("Active").waitFor();

		// An order: its delivery fails (no such host) and is dead after its one attempt.
		await attendeeOrder(storeId, barista, { drink: "latte" });
		await endpoint.getByRole("button", { name: "Deliveries" }).click();
		await rowsUntil(admin, "dead", 1);
		const dead = admin.locator('tr[data-status="dead"]').first();
		expect(await dead.locator("td").first().textContent()).toBe("OrderManager.WaitingCompletion");
		expect(await dead.locator("td").nth(2).textContent()).toBe("1");
		await shots(admin, "admin-extensions", ["tablet", "phone"]);
		expect(await accessibilityProblems(admin)).toEqual([]);

		// Paused, a new order's delivery is held; the dead one sent again is held too.
		await endpoint.getByRole("button", { name: "Pause" }).click();
		await endpoint.getByText("Paused").waitFor();
		await attendeeOrder(storeId, barista, { drink: "espresso" });
		await rowsUntil(admin, "held", 1);
		await endpoint.getByRole("button", { name: "Send the 1 dead again" }).click();
		await rowsUntil(admin, "held", 2);
		expect(await admin.locator('tr[data-status="dead"]').count()).toBe(0);

		// Resumed, both go out (and fail again, to the dead letters).
		await endpoint.getByRole("button", { name: "Resume" }).click();
		await endpoint.getByText("Active").waitFor();
		await rowsUntil(admin, "dead", 2);
		await shots(admin, "admin-extensions-dead", ["tablet"]);

		// Deleted after a confirmation, with its deliveries.
		await endpoint.getByRole("button", { name: "Delete" }).click();
		await admin.getByRole("dialog").getByRole("button", { name: "Delete" }).click();
		await endpoint.waitFor({ state: "detached" });
	});
});
