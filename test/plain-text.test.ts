import { describe, expect, it } from "vitest";
import { defaultMenu } from "#contract/store.ts";
import { printable } from "#contract/text.ts";
import { adminToken, admitted, attendee, baristaPin, call, createStore, staff, submit } from "./helpers";

/** The names from the issue: a clipboard write (OSC 52), a retitle-and-clear, and zero-width joins. */
const clipboard = "\u001b]52;c;Y3VybCBldmlsfHNoCg==\u0007";
const retitle = "\u001b]0;PWNED\u0007\u001b[2J";
const joined = "FREE\u200bCOFFEE\u200bAT\u200bBOOTH7";
/** One of every kind: C0, C1, bidi overrides, isolates and marks, zero-width characters. */
const others = [
	"Ada\u0000",
	"Ada\u009b31m",
	"\u202eadA",
	"Ada\u2066x\u2069",
	"A\u200eda",
	"A\u061cda",
	"A\u200dda",
	"A\u2060da",
	"A\ufeffda",
	"Ada\u2028Lovelace",
];
const unsafe = [clipboard, retitle, joined, ...others];

function expectRefused(reply: { status: number; body: any }, field: string) {
	expect(reply.status).toBe(400);
	expect(reply.body.error.code).toBe("invalid_request");
	expect(reply.body.error.details.issues.map((i: { path: string }) => i.path)).toContain(field);
	expect(reply.body.error.message).toContain(`${field}: must be plain text`);
}

describe("names are text", () => {
	it("refuses a cup name with terminal escapes, bidi or zero-width characters, and keeps the order as it was", async () => {
		const store = await createStore();
		const barista = await staff(store.id);
		const { token, orderId } = await admitted(store.id, barista);
		for (const name of unsafe) expectRefused(await submit(orderId, token, { drink: "latte", name }), "name");
		expect((await call("GET", `/api/orders/${orderId}`, { token })).body.order).toMatchObject({
			state: "AWAITING_ORDER",
			name: null,
		});
		// Accents, other scripts and plain emoji are names like any other.
		expect((await submit(orderId, token, { drink: "latte", name: "Zoë 李 ☕" })).body.order).toMatchObject({
			state: "QUEUED",
			name: "Zoë 李 ☕",
		});
	});

	it("refuses such a name for an attendee session, a walk-up and a staff sign-in", async () => {
		const store = await createStore();
		const barista = await staff(store.id);
		for (const name of unsafe) {
			expectRefused(await call("POST", "/api/session", { body: { name } }), "name");
			expectRefused(
				await call("POST", `/api/stores/${store.id}/walk-ups`, { token: barista, body: { drink: "tea", name } }),
				"name",
			);
			expectRefused(
				await call("POST", `/api/stores/${store.id}/staff/session`, { body: { pin: baristaPin, name } }),
				"name",
			);
		}
		expect((await attendee("Zoë")).userId).toBeTruthy();
	});

	it("refuses such a store name or menu label, naming the field, and changes nothing", async () => {
		const store = await createStore();
		const created = await call("POST", "/api/stores", {
			token: adminToken,
			body: { id: `text-${crypto.randomUUID().slice(0, 8)}`, name: retitle, pins: { barista: "1111", admin: "2222" } },
		});
		expectRefused(created, "name");
		expectRefused(
			await call("PATCH", `/api/stores/${store.id}`, { token: adminToken, body: { name: joined } }),
			"name",
		);
		const menu = structuredClone(defaultMenu);
		menu.drinks[0]!.name = clipboard;
		menu.optionGroups![0]!.name = "Size\u202e";
		menu.optionGroups![0]!.choices[1]!.name = "Reg\u200bular";
		menu.drinks[1]!.description = "Strong\u0007";
		const patched = await call("PATCH", `/api/stores/${store.id}`, { token: adminToken, body: { menu } });
		for (const field of [
			"menu.drinks.0.name",
			"menu.optionGroups.0.name",
			"menu.optionGroups.0.choices.1.name",
			"menu.drinks.1.description",
		]) {
			expectRefused(patched, field);
		}
		const after = (await call("GET", `/api/stores/${store.id}`)).body;
		expect(after).toMatchObject({ name: store.name, version: store.version });
		expect(after.menu.drinks[0].name).toBe("Espresso");
	});

	it("prints what came from the API in a terminal as visible escapes, never as control sequences", () => {
		for (const name of unsafe) {
			const shown = printable(`#12 Latte for ${name}`);
			// The point: no control character may reach a terminal.
			expect(shown).not.toMatch(
				// eslint-disable-next-line no-control-regex
				/[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060\u2066-\u2069\ufeff]/,
			);
			expect(JSON.parse(JSON.stringify(shown))).toBe(shown);
		}
		expect(printable(retitle)).toBe("\\u001b]0;PWNED\\u0007\\u001b[2J");
		expect(printable(joined)).toBe("FREE\\u200bCOFFEE\\u200bAT\\u200bBOOTH7");
		// Escaped inside JSON (npm run events:tail -- --json), it is still the same JSON value.
		expect(JSON.parse(printable(JSON.stringify({ name: clipboard }))).name).toBe(clipboard);
	});
});
