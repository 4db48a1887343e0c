import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { act, adminPin, attendee, call, createStore, currentCode, scan, staff, submit } from "./helpers";
import { until } from "./until";

async function setup(settings: Record<string, unknown> = {}) {
	const store = await createStore(settings);
	const barista = await staff(store.id);
	const admin = await staff(store.id, adminPin);
	return { store, barista, admin };
}

describe("scanning a QR code", () => {
	it("admits an attendee with a new order that waits for their drink", async () => {
		const { store, barista } = await setup();
		const person = await attendee();
		const { code, tokensLeft } = await currentCode(store.id, barista);
		expect(tokensLeft).toBe(10);
		const reply = await scan(store.id, person.token, code);
		expect(reply.status).toBe(201);
		expect(Date.parse(reply.body.expiresAt) - Date.now()).toBeGreaterThan(290_000);
		const order = await call("GET", `/api/orders/${reply.body.orderId}`, { token: person.token });
		expect(order.body.order).toMatchObject({
			state: "AWAITING_ORDER",
			userId: person.userId,
			storeId: store.id,
			number: null,
		});
		expect((await currentCode(store.id, barista)).tokensLeft).toBe(9);
	});

	it("gives the same order back when the attendee scans the same code again", async () => {
		const { store, barista } = await setup();
		const person = await attendee();
		const { code } = await currentCode(store.id, barista);
		const first = await scan(store.id, person.token, code);
		const again = await scan(store.id, person.token, code);
		expect(again.status).toBe(200);
		expect(again.body.orderId).toBe(first.body.orderId);
		expect((await currentCode(store.id, barista)).tokensLeft).toBe(9);
	});

	it("refuses a second drink from the same code once the first is finished (code_already_used)", async () => {
		const { store, barista } = await setup();
		const person = await attendee();
		const { code } = await currentCode(store.id, barista);
		const first = await scan(store.id, person.token, code);
		await act(first.body.orderId, "cancel", person.token);
		const again = await scan(store.id, person.token, code);
		expect(again.status).toBe(409);
		expect(again.body.error.code).toBe("code_already_used");
	});

	it("refuses when the store is closed (store_closed) or paused (store_paused)", async () => {
		const { store, barista } = await setup();
		const { code } = await currentCode(store.id, barista);
		const person = await attendee();

		await call("PATCH", `/api/stores/${store.id}`, { token: barista, body: { paused: true } });
		const paused = await scan(store.id, person.token, code);
		expect([paused.status, paused.body.error.code]).toEqual([409, "store_paused"]);

		await call("PATCH", `/api/stores/${store.id}`, { token: barista, body: { open: false, paused: false } });
		const closed = await scan(store.id, person.token, code);
		expect([closed.status, closed.body.error.code]).toEqual([409, "store_closed"]);
		expect(closed.body.error.message).toMatch(/closed/);

		await call("PATCH", `/api/stores/${store.id}`, { token: barista, body: { open: true } });
		expect((await scan(store.id, person.token, code)).status).toBe(201);
	});

	it("refuses once the code's drinks are taken (code_exhausted)", async () => {
		const { store, barista } = await setup({ drinksPerCode: 2 });
		const { code } = await currentCode(store.id, barista);
		for (let i = 0; i < 2; i++) expect((await scan(store.id, (await attendee()).token, code)).status).toBe(201);
		const late = await scan(store.id, (await attendee()).token, code);
		expect([late.status, late.body.error.code]).toEqual([409, "code_exhausted"]);
	});

	it("refuses when the baristas are at capacity (at_capacity), and admits again when a slot frees", async () => {
		const { store, barista } = await setup({ capacity: 2 });
		const { code } = await currentCode(store.id, barista);
		const first = await attendee();
		const firstScan = await scan(store.id, first.token, code);
		await scan(store.id, (await attendee()).token, code);
		const third = await attendee();
		const refused = await scan(store.id, third.token, code);
		expect([refused.status, refused.body.error.code]).toEqual([409, "at_capacity"]);

		await act(firstScan.body.orderId, "cancel", first.token);
		expect((await scan(store.id, third.token, code)).status).toBe(201);
	});

	it("refuses past the attendee's daily limit (order_limit), not counting cancelled orders", async () => {
		const { store, barista, admin } = await setup({ maxOrdersPerUserPerDay: 1 });
		const person = await attendee();
		const first = await scan(store.id, person.token, (await currentCode(store.id, barista)).code);
		expect(first.status).toBe(201);
		await submit(first.body.orderId, person.token);

		// A new window: changing drinksPerCode starts a fresh code.
		await call("PATCH", `/api/stores/${store.id}`, { token: admin, body: { drinksPerCode: 10 } });
		const next = (await currentCode(store.id, barista)).code;
		const limited = await scan(store.id, person.token, next);
		expect([limited.status, limited.body.error.code]).toEqual([409, "order_limit"]);

		await act(first.body.orderId, "cancel", person.token);
		expect((await scan(store.id, person.token, next)).status).toBe(201);
	});

	it("refuses a code whose window has ended (410 code_expired)", async () => {
		const { store, barista, admin } = await setup();
		const old = (await currentCode(store.id, barista)).code;
		await call("PATCH", `/api/stores/${store.id}`, { token: admin, body: { codeWindowSeconds: 60 } });
		const fresh = (await currentCode(store.id, barista)).code;
		expect(fresh).not.toBe(old);
		const reply = await scan(store.id, (await attendee()).token, old);
		expect([reply.status, reply.body.error.code]).toEqual([410, "code_expired"]);
	});

	it("refuses malformed codes with 400 and unknown ones with 404 (code_invalid)", async () => {
		const { store } = await setup();
		const person = await attendee();
		const malformed = await scan(store.id, person.token, "not a code");
		expect([malformed.status, malformed.body.error.code]).toEqual([400, "code_invalid"]);
		const unknown = await scan(store.id, person.token, "A".repeat(22));
		expect([unknown.status, unknown.body.error.code]).toEqual([404, "code_invalid"]);
	});

	it("does not accept one store's code at another store", async () => {
		const a = await setup();
		const b = await setup();
		const code = (await currentCode(a.store.id, a.barista)).code;
		const reply = await scan(b.store.id, (await attendee()).token, code);
		expect([reply.status, reply.body.error.code]).toEqual([404, "code_invalid"]);
	});

	it("answers with the order and the store's menu, and starts a session for a phone that has none: one round trip to the menu", async () => {
		const { store, barista } = await setup();
		const { code } = await currentCode(store.id, barista);
		const first = await call("POST", `/api/stores/${store.id}/scans`, { body: { code } });
		expect(first.status).toBe(201);
		const { session, order, store: view } = first.body;
		expect(order).toMatchObject({
			id: first.body.orderId,
			state: "AWAITING_ORDER",
			userId: session.userId,
			storeId: store.id,
		});
		expect(view).toMatchObject({ id: store.id, open: true });
		expect(view.menu.drinks.length).toBeGreaterThan(0);
		expect(first.headers.get("set-cookie")).toContain(session.token);
		// The new session is the order's owner, and scanning again with it is the same attendee, without another session.
		const again = await scan(store.id, session.token, code);
		expect([again.status, again.body.orderId, "session" in again.body]).toEqual([200, first.body.orderId, false]);
		const read = await call("GET", `/api/orders/${first.body.orderId}`, { token: session.token });
		expect(read.body.order.userId).toBe(session.userId);
	});

	it("answers a scan sent with an Idempotency-Key with the admission alone, which a retry replays as it was", async () => {
		const { store, barista } = await setup();
		const person = await attendee();
		const { code } = await currentCode(store.id, barista);
		const send = () =>
			call("POST", `/api/stores/${store.id}/scans`, {
				token: person.token,
				body: { code },
				headers: { "idempotency-key": "scan-once" },
			});
		const first = await send();
		expect(first.status).toBe(201);
		expect(Object.keys(first.body).sort()).toEqual(["expiresAt", "orderId"]);
		await submit(first.body.orderId, person.token);
		const again = await send();
		expect([again.status, again.text, again.headers.get("idempotent-replayed")]).toEqual([201, first.text, "true"]);
	});

	it("refuses a scan with a session that is not valid (401), with a staff one (403), or at an unknown store (404)", async () => {
		const { store, barista } = await setup();
		const { code } = await currentCode(store.id, barista);
		const forged = await call("POST", `/api/stores/${store.id}/scans`, { token: "not-a-token", body: { code } });
		expect([forged.status, forged.body.error.code, forged.headers.get("set-cookie")]).toEqual([
			401,
			"unauthenticated",
			null,
		]);
		expect((await scan(store.id, barista, code)).status).toBe(403);
		const unknown = await scan("no-such-store", (await attendee()).token, code);
		expect([unknown.status, unknown.body.error.code]).toEqual([404, "store_not_found"]);
	});

	it("issues codes of at least 128 bits that change with each window", async () => {
		const { store, barista, admin } = await setup();
		const seen = new Set<string>();
		for (let i = 0; i < 5; i++) {
			const { code, url } = await currentCode(store.id, barista);
			expect(code).toMatch(/^[A-Za-z0-9_-]{22}$/);
			expect(url).toBe(`https://edgepresso.test/order?store=${store.id}&code=${code}`);
			seen.add(code);
			await call("PATCH", `/api/stores/${store.id}`, { token: admin, body: { drinksPerCode: 10 + i } });
		}
		expect(seen.size).toBe(5);
	});

	it("shows the QR code only to staff", async () => {
		const { store } = await setup();
		expect((await call("GET", `/api/stores/${store.id}/qr`)).status).toBe(401);
		expect((await call("GET", `/api/stores/${store.id}/qr`, { token: (await attendee()).token })).status).toBe(403);
		const other = await setup();
		expect((await call("GET", `/api/stores/${store.id}/qr`, { token: other.barista })).status).toBe(403);
	});

	it("records each admission as a Validator.NewOrder event with the tokens left", async () => {
		const { store, barista } = await setup();
		const { code } = await currentCode(store.id, barista);
		const reply = await scan(store.id, (await attendee()).token, code);
		const row = await eventOf(reply.body.orderId, "Validator.NewOrder");
		expect(JSON.parse(row.envelope).detail).toMatchObject({ tokensLeft: 9, tokensTotal: 10, openOrders: 1 });
	});
});

function eventOf(orderId: string, type: string) {
	return until(() =>
		env.DB.prepare(`SELECT * FROM order_events WHERE order_id = ? AND type = ?`)
			.bind(orderId, type)
			.first<{ envelope: string }>(),
	);
}
