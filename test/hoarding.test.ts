import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { StoreDO } from "../durable-objects/store/store";
import { burstOf, burstQuietMs, type Admission } from "#contract/bursts.ts";
import type { Order } from "#contract/order.ts";
import {
	adminToken,
	admitted,
	attendee,
	call,
	createStore,
	currentCode,
	display,
	scan,
	staff,
	submit,
} from "./helpers";
import { expectInvariants } from "./invariants";
import { openSocket } from "./sockets";

const from = (ip: string) => ({ "cf-connecting-ip": ip });

/** Moves the store's record of these admissions `ms` into the past, as if that much time had gone by. */
async function age(storeId: string, orderIds: string[], ms: number) {
	await runInDurableObject(env.STORE.getByName(storeId), (_: StoreDO, state) => {
		for (const id of orderIds)
			state.storage.sql.exec(`UPDATE orders SET created_at = created_at - ? WHERE order_id = ?`, ms, id);
	});
}

/** What the barista's tablet shows as a burst, `later` ms from now. */
async function burstOnTablet(storeId: string, barista: string, later: number): Promise<string[]> {
	const tablet = await openSocket(`/api/stores/${storeId}/ws`, barista);
	const orders = (await tablet.next()).view.orders as Order[];
	tablet.socket.close(1000, "seen");
	return burstOf(
		orders.map((o) => ({ id: o.id, admittedAt: Date.parse(o.createdAt), state: o.state, userId: o.userId })),
		Date.now() + later,
	);
}

function endBurst(storeId: string, token: string, orderIds: string[]) {
	return call<{ ended: number; kept: number }>("POST", `/api/stores/${storeId}/bursts/end`, {
		token,
		body: { orderIds },
	});
}

describe("a burst of admissions nobody orders from", () => {
	it("is what 12 fresh sessions taking a whole code look like; staff end it in one action, freeing the slots and giving the tokens back", async () => {
		const store = await createStore({ drinksPerCode: 10, capacity: 20 });
		const barista = await staff(store.id);
		const { code } = await currentCode(store.id, barista);
		// The repro: a dozen sessions scanning the code off the TV at once take every token.
		const hoarder = await Promise.all(Array.from({ length: 12 }, () => attendee()));
		const scans = await Promise.all(hoarder.map((session) => scan(store.id, session.token, code)));
		const taken = scans.filter((r) => r.status === 201).map((r) => r.body.orderId);
		expect(taken).toHaveLength(10);
		const realAttendee = await attendee("Real Person");
		expect((await scan(store.id, realAttendee.token, code)).body.error.code).toBe("code_exhausted");

		// Right away it is not a burst yet (real people get time to choose); a while later the tablet shows all ten.
		expect(await burstOnTablet(store.id, barista, 0)).toEqual([]);
		expect((await endBurst(store.id, barista, taken)).body).toEqual({ ended: 0, kept: 10 });
		const shown = await burstOnTablet(store.id, barista, burstQuietMs);
		expect(new Set(shown)).toEqual(new Set(taken));

		await age(store.id, taken, burstQuietMs);
		const display = await openSocket(`/api/stores/${store.id}/ws?role=display`, barista);
		await display.next();
		expect((await endBurst(store.id, barista, shown)).body).toEqual({ ended: 10, kept: 0 });
		for (const id of taken) {
			expect((await call("GET", `/api/orders/${id}`, { token: barista })).body.order).toMatchObject({
				state: "CANCELLED",
				reason: "burst",
			});
		}
		expect((await call("GET", `/api/stores/${store.id}`)).body.openOrders).toBe(0);
		// The code still runs: its tokens are back, on the display too, and the person at the bar gets in.
		expect((await currentCode(store.id, barista)).tokensLeft).toBe(10);
		expect((await display.next((m) => m.type === "qr" && m.qr.tokensLeft === 10)).qr.code).toBe(code);
		expect((await scan(store.id, realAttendee.token, code)).status).toBe(201);
		// A hoarding session does not get its token again from the same code.
		expect((await scan(store.id, hoarder[0]!.token, code)).status).toBeGreaterThanOrEqual(400);
		await expectInvariants(store.id);
	});

	it("ends only orders that are part of a burst now: a drink chosen meanwhile, a lone slow attendee and other orders stay", async () => {
		const store = await createStore({ capacity: 20 });
		const barista = await staff(store.id);
		const group = [];
		for (let i = 0; i < 4; i++) group.push(await admitted(store.id, barista));
		const lone = await admitted(store.id, barista);
		await age(
			store.id,
			group.map((g) => g.orderId),
			burstQuietMs + 60_000,
		);
		await age(store.id, [lone.orderId], burstQuietMs);
		const walkUp = await call("POST", `/api/stores/${store.id}/walk-ups`, { token: barista, body: { drink: "tea" } });
		// One of the four chose a drink before staff pressed the button: three remain, too few for a burst.
		await submit(group[0]!.orderId, group[0]!.token);
		const ids = [...group.map((g) => g.orderId), lone.orderId, walkUp.body.order.id];
		expect((await endBurst(store.id, barista, ids)).body).toEqual({ ended: 0, kept: 6 });
		// With a fifth admission in the same seconds, the three still choosing and it are a burst; nothing else is.
		const fifth = await admitted(store.id, barista);
		await age(store.id, [fifth.orderId], burstQuietMs + 60_000);
		expect((await endBurst(store.id, barista, [...ids, fifth.orderId])).body).toEqual({ ended: 4, kept: 3 });
		expect((await call("GET", `/api/orders/${group[0]!.orderId}`, { token: barista })).body.order.state).toBe("QUEUED");
		expect((await call("GET", `/api/orders/${lone.orderId}`, { token: barista })).body.order.state).toBe(
			"AWAITING_ORDER",
		);
		await expectInvariants(store.id);
	});

	it("is ended by this store's staff only: not its display, another store's staff or an attendee", async () => {
		const store = await createStore({ capacity: 20 });
		const barista = await staff(store.id);
		const ids: string[] = [];
		for (let i = 0; i < 4; i++) ids.push((await admitted(store.id, barista)).orderId);
		// All four admitted in the same second, long enough ago to be a burst.
		await runInDurableObject(env.STORE.getByName(store.id), (_: StoreDO, state) => {
			for (const id of ids)
				state.storage.sql.exec(
					`UPDATE orders SET created_at = ? WHERE order_id = ?`,
					Date.now() - burstQuietMs - 1000,
					id,
				);
		});
		const tv = await display(store.id, barista);
		const other = await staff((await createStore()).id);
		const person = await attendee();
		for (const token of [tv, other, person.token])
			expect((await endBurst(store.id, token, ids)).body.error.code).toBe("forbidden");
		expect((await call("POST", `/api/stores/${store.id}/bursts/end`, { body: { orderIds: ids } })).status).toBe(401);
		for (const id of ids)
			expect((await call("GET", `/api/orders/${id}`, { token: barista })).body.order.state).toBe("AWAITING_ORDER");
		expect((await endBurst(store.id, barista, ids)).body).toEqual({ ended: 4, kept: 0 });
		expect((await endBurst(store.id, adminToken, [])).status).toBe(400);
		expect((await endBurst(store.id, adminToken, ["not-a-uuid"])).status).toBe(400);
	});
});

describe("what counts as a burst", () => {
	const now = 1_000_000_000;
	const at = (seconds: number, extra: Partial<Admission> = {}): Admission => ({
		id: `o${seconds}-${extra.userId ?? "u"}`,
		admittedAt: now - burstQuietMs - seconds * 1000,
		state: "AWAITING_ORDER",
		userId: crypto.randomUUID(),
		...extra,
	});

	it("takes four or more admissions within five seconds, all still choosing twenty seconds after the last", () => {
		expect(burstOf([at(0), at(1), at(2), at(5)], now)).toHaveLength(4);
		expect(burstOf([at(0), at(1), at(2), at(5.1)], now)).toEqual([]);
		expect(burstOf([at(0), at(1), at(2)], now)).toEqual([]);
		// Admitted a moment ago: not yet.
		expect(burstOf([at(0), at(1), at(2), at(-1)], now)).toEqual([]);
		// Two bursts a minute apart, and a lone admission between them.
		const both = burstOf([at(0), at(1), at(2), at(3), at(30), at(60), at(61), at(62), at(63)], now);
		expect(both).toHaveLength(8);
		expect(both).not.toContain(at(30).id);
	});

	it("leaves out orders whose drink was chosen, and walk-ups", () => {
		expect(burstOf([at(0), at(1), at(2), at(3, { state: "QUEUED" })], now)).toEqual([]);
		expect(burstOf([at(0), at(1), at(2), at(3, { userId: "walk-up" })], now)).toEqual([]);
	});
});

describe("a per-network budget per QR code", () => {
	it("is off by default: a venue's attendees behind one address all get in", async () => {
		const store = await createStore({ drinksPerCode: 10 });
		expect(store.settings.drinksPerNetworkPerCode).toBe(0);
		const { code } = await currentCode(store.id, await staff(store.id));
		const people = await Promise.all(Array.from({ length: 10 }, () => attendee()));
		const replies = await Promise.all(
			people.map((p) =>
				call("POST", `/api/stores/${store.id}/scans`, {
					token: p.token,
					body: { code },
					headers: from("203.0.113.70"),
				}),
			),
		);
		expect(replies.every((r) => r.status === 201)).toBe(true);
	});

	it("when a store sets it, lets one network take exactly that many drinks from a code, however many sessions scan at once", async () => {
		const store = await createStore({ drinksPerCode: 10, drinksPerNetworkPerCode: 2 });
		const barista = await staff(store.id);
		const { code } = await currentCode(store.id, barista);
		const sessions = await Promise.all(Array.from({ length: 12 }, () => attendee()));
		const replies = await Promise.all(
			sessions.map((s) =>
				call("POST", `/api/stores/${store.id}/scans`, {
					token: s.token,
					body: { code },
					headers: from("203.0.113.71"),
				}),
			),
		);
		expect(replies.filter((r) => r.status === 201)).toHaveLength(2);
		const refused = replies.filter((r) => r.status !== 201);
		expect(refused.map((r) => [r.status, r.body.error.code])).toEqual(Array(10).fill([409, "network_limit"]));
		expect(refused[0]!.body.error.details).toEqual({ limit: 2 });
		// An IPv6 client counts by its /64, whatever address it takes inside it.
		const more = await Promise.all(Array.from({ length: 5 }, () => attendee()));
		const v6 = await Promise.all(
			more.slice(0, 3).map((s, i) =>
				call("POST", `/api/stores/${store.id}/scans`, {
					token: s.token,
					body: { code },
					headers: from(`2001:db8:9:9::${i + 1}`),
				}),
			),
		);
		expect(v6.map((r) => r.status).sort()).toEqual([201, 201, 409]);
		// Another network, and the next code, are not affected.
		expect(
			(
				await call("POST", `/api/stores/${store.id}/scans`, {
					token: more[3]!.token,
					body: { code },
					headers: from("203.0.113.72"),
				})
			).status,
		).toBe(201);
		expect((await call("GET", `/api/stores/${store.id}/qr`, { token: barista })).body.tokensLeft).toBe(5);
		await call("PATCH", `/api/stores/${store.id}`, { token: adminToken, body: { drinksPerCode: 10 } });
		const next = (await currentCode(store.id, barista)).code;
		expect(
			(
				await call("POST", `/api/stores/${store.id}/scans`, {
					token: more[4]!.token,
					body: { code: next },
					headers: from("203.0.113.71"),
				})
			).status,
		).toBe(201);
		await expectInvariants(store.id);
	});

	it("is the store admin's to set, not a barista's", async () => {
		const store = await createStore();
		const barista = await staff(store.id);
		expect(
			(await call("PATCH", `/api/stores/${store.id}`, { token: barista, body: { drinksPerNetworkPerCode: 1 } })).status,
		).toBe(403);
		expect(
			(await call("PATCH", `/api/stores/${store.id}`, { token: adminToken, body: { drinksPerNetworkPerCode: 1 } })).body
				.settings.drinksPerNetworkPerCode,
		).toBe(1);
	});
});
