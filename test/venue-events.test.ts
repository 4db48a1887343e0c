import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { VenueEventView } from "#contract/venue-event.ts";
import { dayOf } from "../durable-objects/store/admission";
import type { StoreDO } from "../durable-objects/store/store";
import { act, adminToken, attendee, call, createStore, currentCode, projected, scan, staff, submit } from "./helpers";
import { until } from "./until";

let events = 0;

/** A fresh venue event with `dailyLimit`, and `bars` fresh open stores in it. */
async function venueEvent(dailyLimit: number, bars: Record<string, unknown>[]) {
	const id = `event-${++events}-${crypto.randomUUID().slice(0, 8)}`;
	const put = await call<VenueEventView>("PUT", `/api/venue-events/${id}`, {
		token: adminToken,
		body: { name: `Summit ${id}`, timeZone: "UTC", dailyLimit },
	});
	expect(put.status).toBe(200);
	const stores = [];
	for (const settings of bars) {
		const store = await createStore({ capacity: 1000, drinksPerCode: 1000, ...settings });
		const joined = await call("PUT", `/api/venue-events/${id}/stores/${store.id}`, { token: adminToken });
		expect(joined.status).toBe(200);
		stores.push({ id: store.id, barista: await staff(store.id) });
	}
	return { id, stores };
}

/** The drinks the event counts for the attendee today. */
function reserved(eventId: string, userId: string): Promise<string[]> {
	return env.VENUE_EVENTS.getByName(eventId).reserved(userId, dayOf(Date.now(), "UTC"));
}

/** Reservations a store has still to give back to its event. */
function releasesPending(storeId: string): Promise<number> {
	return runInDurableObject(
		env.STORE.getByName(storeId),
		(_: StoreDO, state) => state.storage.sql.exec<{ n: number }>(`SELECT count(*) AS n FROM event_releases`).one().n,
	);
}

async function scanAt(store: { id: string; barista: string }, token: string) {
	return scan(store.id, token, (await currentCode(store.id, store.barista)).code);
}

describe("venue events", () => {
	it("are created, read, listed and changed by the deployment admin, and group stores", async () => {
		const { id, stores } = await venueEvent(2, [{}, {}]);
		const read = await call<VenueEventView>("GET", `/api/venue-events/${id}`);
		expect(read.body).toMatchObject({ id, dailyLimit: 2, timeZone: "UTC", stores: stores.map((s) => s.id) });
		expect((await call("GET", `/api/stores/${stores[0]!.id}`)).body.event).toBe(id);

		const changed = await call<VenueEventView>("PUT", `/api/venue-events/${id}`, {
			token: adminToken,
			body: { name: "Renamed", timeZone: "Europe/Lisbon", dailyLimit: 4 },
		});
		expect(changed.body).toMatchObject({ name: "Renamed", timeZone: "Europe/Lisbon", dailyLimit: 4 });
		const list = await call<{ events: VenueEventView[] }>("GET", "/api/venue-events", { token: adminToken });
		expect(list.body.events.find((e) => e.id === id)).toMatchObject({
			name: "Renamed",
			stores: stores.map((s) => s.id),
		});

		const out = await call("DELETE", `/api/venue-events/${id}/stores/${stores[0]!.id}`, { token: adminToken });
		expect(out.status).toBe(200);
		expect(out.body.event.stores).toEqual([stores[1]!.id]);
		expect(out.body.store.event).toBeNull();
	});

	it("refuses bad input with a 4xx JSON error and changes nothing", async () => {
		const { id, stores } = await venueEvent(1, [{}]);
		const bad = (body: unknown) => call("PUT", `/api/venue-events/${id}`, { token: adminToken, body });
		for (const body of [
			{ name: "X", timeZone: "Mars/Olympus", dailyLimit: 1 },
			{ name: "X", timeZone: "UTC", dailyLimit: 0 },
			{ name: "X", timeZone: "UTC", dailyLimit: "2" },
			{ name: "", timeZone: "UTC", dailyLimit: 1 },
			{ name: "X", timeZone: "UTC" },
			{ name: "X", timeZone: "UTC", dailyLimit: 1, extra: true },
		]) {
			const reply = await bad(body);
			expect([reply.status, reply.body.error.code]).toEqual([400, "invalid_request"]);
		}
		expect((await call("GET", `/api/venue-events/${id}`)).body.dailyLimit).toBe(1);
		expect(
			(
				await call("PUT", `/api/venue-events/Bad%20Id`, {
					token: adminToken,
					body: { name: "X", timeZone: "UTC", dailyLimit: 1 },
				})
			).status,
		).toBe(400);

		const unknown = await call("GET", "/api/venue-events/no-such-event");
		expect([unknown.status, unknown.body.error.code]).toEqual([404, "venue_event_not_found"]);
		const intoUnknown = await call("PUT", `/api/venue-events/no-such-event/stores/${stores[0]!.id}`, {
			token: adminToken,
		});
		expect([intoUnknown.status, intoUnknown.body.error.code]).toEqual([404, "venue_event_not_found"]);
		const unknownStore = await call("PUT", `/api/venue-events/${id}/stores/no-such-store`, { token: adminToken });
		expect([unknownStore.status, unknownStore.body.error.code]).toEqual([404, "store_not_found"]);

		// A store is in one event at most.
		const other = await venueEvent(1, []);
		const twice = await call("PUT", `/api/venue-events/${other.id}/stores/${stores[0]!.id}`, { token: adminToken });
		expect([twice.status, twice.body.error.code, twice.body.error.details]).toEqual([
			409,
			"store_in_other_event",
			{ event: id },
		]);
		expect((await call("GET", `/api/venue-events/${other.id}`)).body.stores).toEqual([]);
		expect((await call("GET", `/api/stores/${stores[0]!.id}`)).body.event).toBe(id);
	});

	it("count an attendee's drinks across every bar: N a day in all, not N per bar", async () => {
		const { id, stores } = await venueEvent(2, [{ maxOrdersPerUserPerDay: 5 }, {}, {}]);
		const me = await attendee();
		const first = await scanAt(stores[0]!, me.token);
		const second = await scanAt(stores[1]!, me.token);
		expect([first.status, second.status]).toEqual([201, 201]);
		const third = await scanAt(stores[2]!, me.token);
		expect([third.status, third.body.error.code, third.body.error.details]).toEqual([
			409,
			"order_limit",
			{ limit: 2, event: id },
		]);
		// A repeat scan of a code already redeemed gets its order, and reserves nothing more.
		const again = await scanAt(stores[0]!, me.token);
		expect([again.status, again.body.orderId]).toEqual([200, first.body.orderId]);
		expect((await reserved(id, me.userId)).sort()).toEqual([first.body.orderId, second.body.orderId].sort());
	});

	it("give a drink back when its order ends without one, and keep a drink that was made", async () => {
		const { id, stores } = await venueEvent(1, [{}, {}, {}]);
		const [a, b, c] = stores as [(typeof stores)[0], (typeof stores)[0], (typeof stores)[0]];
		const me = await attendee();
		const cancelled = await scanAt(a, me.token);
		expect((await act(cancelled.body.orderId, "cancel", me.token)).status).toBe(200);
		await until(async () => (await reserved(id, me.userId)).length === 0);

		const made = await scanAt(b, me.token);
		expect(made.status).toBe(201);
		await submit(made.body.orderId, me.token);
		await act(made.body.orderId, "claim", b.barista);
		expect((await act(made.body.orderId, "complete", b.barista)).body.order.state).toBe("READY");
		const after = await scanAt(c, me.token);
		expect(after.body.error.code).toBe("order_limit");

		// Walk-ups skip the limit, as they do at a store alone.
		const walkUp = await call("POST", `/api/stores/${a.id}/walk-ups`, { token: a.barista, body: { drink: "tea" } });
		expect(walkUp.status).toBe(201);
	});

	it("never let an attendee exceed the limit under racing scans at two bars, and lose no drink when a bar refuses for another reason", async () => {
		// Bar A has few tokens per code: most of its scans are refused code_exhausted after the others pass.
		const { id, stores } = await venueEvent(1, [{ drinksPerCode: 6 }, {}]);
		const [a, b] = stores as [(typeof stores)[0], (typeof stores)[0]];
		const people = await Promise.all(Array.from({ length: 40 }, () => attendee()));
		const [codeA, codeB] = [(await currentCode(a.id, a.barista)).code, (await currentCode(b.id, b.barista)).code];

		const replies = await Promise.all(
			people.flatMap((p) => [
				scan(a.id, p.token, codeA).then((r) => ({ p, bar: "a", r })),
				scan(b.id, p.token, codeB).then((r) => ({ p, bar: "b", r })),
			]),
		);
		for (const reply of replies) {
			expect(reply.r.status === 201 || ["order_limit", "code_exhausted"].includes(reply.r.body.error.code)).toBe(true);
		}
		const admittedA = replies.filter((x) => x.bar === "a" && x.r.status === 201);
		expect(admittedA.length).toBeLessThanOrEqual(6);
		for (const p of people) {
			const mine = replies.filter((x) => x.p === p && x.r.status === 201).map((x) => x.r.body.orderId);
			// At most one drink each, and the event counts exactly the orders admitted: a bar that refused after the
			// event reserved gave that drink back.
			expect(mine.length).toBeLessThanOrEqual(1);
		}
		// The event counts exactly the orders admitted once the bars have given back what they refused after
		// reserving.
		await until(async () => (await releasesPending(a.id)) + (await releasesPending(b.id)) === 0);
		for (const p of people) {
			const mine = replies.filter((x) => x.p === p && x.r.status === 201).map((x) => x.r.body.orderId);
			expect(await reserved(id, p.userId)).toEqual(mine);
		}
		// No drink was lost: whoever the race left without one (bar A refused them after the event counted them,
		// and bar B met that count) gets it now at bar B.
		const without = people.filter((p) => !replies.some((x) => x.p === p && x.r.status === 201));
		for (const p of without) expect((await scan(b.id, p.token, codeB)).status).toBe(201);
		const open = async (store: { id: string }) => (await env.STORE.getByName(store.id).audit()).openOrders;
		expect((await open(a)) + (await open(b))).toBe(people.length);
		for (const p of people) expect((await reserved(id, p.userId)).length).toBe(1);
	});

	it("list an attendee's orders at every bar in their history, and forget them at every bar and in the event's counts", async () => {
		const { id, stores } = await venueEvent(3, [{}, {}]);
		const me = await attendee("Ada");
		const one = await scanAt(stores[0]!, me.token);
		const two = await scanAt(stores[1]!, me.token);
		await submit(one.body.orderId, me.token);
		await submit(two.body.orderId, me.token);
		await Promise.all([projected(one.body.orderId, 2), projected(two.body.orderId, 2)]);
		const history = await call<{ orders: { id: string; storeId: string }[] }>("GET", "/api/me/orders", {
			token: me.token,
		});
		expect(history.body.orders.map((o) => o.storeId).sort()).toEqual(stores.map((s) => s.id).sort());

		expect((await reserved(id, me.userId)).length).toBe(2);
		const forgotten = await call("DELETE", "/api/me", { token: me.token });
		expect(forgotten.body).toEqual({ forgotten: { orders: 2 } });
		expect(await reserved(id, me.userId)).toEqual([]);
		for (const store of stores) expect(await env.STORE.getByName(store.id).ordersOf(me.userId)).toEqual([]);
	});

	it("leave a store outside any event counting its own limit", async () => {
		const { id, stores } = await venueEvent(5, [{ maxOrdersPerUserPerDay: 1 }]);
		await call("DELETE", `/api/venue-events/${id}/stores/${stores[0]!.id}`, { token: adminToken });
		const me = await attendee();
		expect((await scanAt(stores[0]!, me.token)).status).toBe(201);
		const store = stores[0]!;
		await call("PATCH", `/api/stores/${store.id}`, {
			token: await staff(store.id, "987654"),
			body: { drinksPerCode: 5 },
		});
		expect((await scanAt(store, me.token)).body.error.code).toBe("order_limit");
		expect(await reserved(id, me.userId)).toEqual([]);
	});
});

describe("a store's region", () => {
	it("places the store's object with its location hint, which the store records and shows, and its orders' too", async () => {
		const placed = await createStore({ region: "weur" });
		expect(placed).toMatchObject({ placedIn: "weur", settings: { region: "weur" } });
		expect((await call("GET", `/api/stores/${placed.id}`)).body.placedIn).toBe("weur");
		expect((await createStore()).placedIn).toBeNull();

		// Its orders' objects are created with the same hint: the order works as any other.
		const barista = await staff(placed.id);
		const me = await attendee();
		const admitted = await scan(placed.id, me.token, (await currentCode(placed.id, barista)).code);
		expect((await submit(admitted.body.orderId, me.token)).body.order.state).toBe("QUEUED");

		const bad = await call("POST", "/api/stores", {
			token: adminToken,
			body: {
				id: `r-${crypto.randomUUID().slice(0, 8)}`,
				name: "Nowhere",
				settings: { region: "mars" },
				pins: { barista: "1111", admin: "2222" },
			},
		});
		expect([bad.status, bad.body.error.code]).toEqual([400, "invalid_request"]);
	});
});

describe("an event's board", () => {
	it("shows each bar's queue and the wait of a drink ordered there now, from the bar's own history", async () => {
		const { id, stores } = await venueEvent(10, [{}, {}, { open: false }]);
		const [a, b, c] = stores as [(typeof stores)[0], (typeof stores)[0], (typeof stores)[0]];
		const order = async (bar: { id: string; barista: string }) => {
			const me = await attendee();
			const admitted = await scanAt(bar, me.token);
			expect((await submit(admitted.body.orderId, me.token)).status).toBe(200);
			return admitted.body.orderId;
		};

		// Bar A's history: two drinks made, each waited 30 s at place 1 and took 90 s to make.
		const made = [await order(a), await order(a)];
		for (const orderId of made) {
			await act(orderId, "claim", a.barista);
			await act(orderId, "complete", a.barista);
		}
		await runInDurableObject(env.STORE.getByName(a.id), async (_: StoreDO, state) => {
			const sql = state.storage.sql;
			await until(
				() => sql.exec<{ n: number }>(`SELECT count(*) AS n FROM orders WHERE state = 'READY'`).one().n === made.length,
			);
			const queuedAt = Date.now() - 10 * 60_000;
			sql.exec(
				`UPDATE orders SET queued_at = ?, claimed_at = ?, finished_at = ?, position_at_queue = 1 WHERE state = 'READY'`,
				queuedAt,
				queuedAt + 30_000,
				queuedAt + 120_000,
			);
		});
		// Then three queued at A, one at B, none at C (closed).
		for (let i = 0; i < 3; i++) await order(a);
		await order(b);

		const board = await call("GET", `/api/venue-events/${id}/board`);
		expect(board.status).toBe(200);
		expect(board.body.event.id).toBe(id);
		expect(board.body.bars).toEqual([
			// A drink ordered now at A is 4th: 4 places × 30 s + 90 s.
			{ id: a.id, name: `Coffee ${a.id}`, open: true, queued: 3, waitSeconds: 210 },
			// B has no history yet: 2 minutes a drink, half that per place ahead.
			{ id: b.id, name: `Coffee ${b.id}`, open: true, queued: 1, waitSeconds: 2 * 60 + 120 },
			{ id: c.id, name: `Coffee ${c.id}`, open: false, queued: 0, waitSeconds: 60 + 120 },
		]);
		expect((await call("GET", "/api/venue-events/no-such-event/board")).status).toBe(404);
	});
});
