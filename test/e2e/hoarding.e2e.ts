import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessibilityProblems, launchChromium, type Chromium } from "./browser";
import { openBarista, shots } from "./screens";
import { admitAtOnce, createStore, tokensLeft } from "./staff";

/**
 * The tablet against hoarding: a burst of admissions nobody orders from (one person's many sessions) shows
 * on the barista's tablet once real people would have chosen, and one confirmed tap ends it, giving the code
 * its drinks back.
 */

let chrome: Chromium;

beforeAll(async () => {
	chrome = await launchChromium();
});

afterAll(async () => {
	await chrome?.close();
});

describe("a burst on the barista's tablet", () => {
	it("shows orders opened at once and never chosen, and ends them in one confirmed action", async () => {
		const storeId = await createStore();
		const tablet = await openBarista(chrome, storeId);
		const hoarded = await admitAtOnce(storeId, 6);
		expect(await tokensLeft(storeId)).toBe(4);

		// It shows once real people would have chosen (20 s after the last admission).
		const alert = tablet.getByRole("status").filter({ hasText: "nobody has chosen a drink" });
		await alert.waitFor();
		expect(await alert.textContent()).toContain(`${hoarded.length} orders were opened within seconds`);
		await shots(tablet, "barista-burst", ["tablet", "phone"]);
		expect(await accessibilityProblems(tablet)).toEqual([]);

		await alert.getByRole("button", { name: "End them" }).click();
		await alert.getByRole("button", { name: `Yes, end these ${hoarded.length} orders` }).click();
		await alert.waitFor({ state: "detached" });
		await tablet.getByText(`Ended ${hoarded.length} orders.`).waitFor({ state: "attached" });
		expect(await tokensLeft(storeId)).toBe(10);
		// Nobody is left choosing: the Queued lane's note is gone.
		await tablet.locator("#lane-queued .note").waitFor({ state: "detached" });
	});
});
