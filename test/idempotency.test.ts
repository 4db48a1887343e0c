import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { apiClient, idempotent, read } from "#client/api.ts";
import type { OrderDO } from "../durable-objects/order/order";
import type { StoreDO } from "../durable-objects/store/store";
import {
	act,
	adminToken,
	admitted,
	attendee,
	baristaPin,
	call,
	createStore,
	currentCode,
	keyed,
	projected,
	staff,
	submit,
	type Reply,
} from "./helpers";
import { expectInvariants } from "./invariants";
import { breakBinding } from "./outage";
import { until } from "./until";

/**
 * Safe retries: every write a tablet or a phone makes takes an `Idempotency-Key`. The same key from the same
 * caller gets the first answer again (status and body, marked `Idempotent-Replayed`), and the write happens
 * once: one transition, one event in the D1 archive.
 */

const newKey = () => crypto.randomUUID();
const replayed = (reply: Reply) => reply.headers.get("idempotent-replayed");
const latte = { drink: "latte", options: { milk: "oat" } };

type State = "AWAITING_ORDER" | "QUEUED" | "MAKING" | "READY";

/** A fresh order of the store, owned by a fresh attendee, brought to `state` by `barista`. */
async function orderIn(storeId: string, barista: string, state: State) {
	const { token, orderId } = await admitted(storeId, barista, "Ada");
	if (state !== "AWAITING_ORDER") await submit(orderId, token);
	if (state === "MAKING" || state === "READY") await act(orderId, "claim", barista);
	if (state === "READY") await act(orderId, "complete", barista);
	return { id: orderId, owner: token };
}

/** How many events of `type` the D1 archive holds for the order, once it holds the order's latest version. */
async function archived(orderId: string, type: string): Promise<number> {
	const { order } = (await call("GET", `/api/orders/${orderId}`, { token: adminToken })).body;
	await projected(orderId, order.version);
	return (await env.DB.prepare(`SELECT count(*) AS n FROM order_events WHERE order_id = ? AND type = ?`)
		.bind(orderId, type)
		.first<number>("n"))!;
}

/** A store's events of `type` in the D1 archive, once there are at least `atLeast`. */
async function storeEvents(storeId: string, type: string, atLeast: number): Promise<number> {
	return until(async () => {
		const n = (await env.DB.prepare(`SELECT count(*) AS n FROM order_events WHERE store_id = ? AND type = ?`)
			.bind(storeId, type)
			.first<number>("n"))!;
		return n >= atLeast ? n : null;
	}, 50);
}

interface Write {
	name: string;
	/** Readies a fresh store for the write: how to send it, and how many times it has acted so far. */
	setup(storeId: string, barista: string): Promise<{ send(key: string): Promise<Reply>; acted(): Promise<number> }>;
	/** What a new key gets once the write has acted: it acts again, or is refused (or answered) as without keys. */
	fresh: { status: number; code?: string; acts: boolean };
}

function move(
	path: "claim" | "unclaim" | "complete" | "cancel" | "remind",
	from: State,
	by: "owner" | "barista",
	event: string,
	fresh: Write["fresh"],
): Write {
	return {
		name: `POST /api/orders/{id}/${path} by the ${by === "owner" ? "attendee" : "barista"}`,
		async setup(storeId, barista) {
			const order = await orderIn(storeId, barista, from);
			const token = by === "owner" ? order.owner : barista;
			return {
				send: (key) => keyed("POST", `/api/orders/${order.id}/${path}`, token, key),
				acted: () => archived(order.id, event),
			};
		},
		fresh,
	};
}

const refused = { status: 409, code: "illegal_transition", acts: false };

/** Every write that takes a key. */
const writes: Write[] = [
	{
		name: "PUT /api/orders/{id} (submit)",
		async setup(storeId, barista) {
			const order = await orderIn(storeId, barista, "AWAITING_ORDER");
			return {
				send: (key) => keyed("PUT", `/api/orders/${order.id}`, order.owner, key, latte),
				acted: () => archived(order.id, "OrderManager.WaitingCompletion"),
			};
		},
		// Without a key too, a repeated submit of the drink already ordered gets the order back.
		fresh: { status: 200, acts: false },
	},
	move("claim", "QUEUED", "barista", "OrderManager.MakeOrder", refused),
	move("unclaim", "MAKING", "barista", "OrderManager.OrderUnclaimed", refused),
	move("complete", "MAKING", "barista", "OrderManager.OrderCompleted", refused),
	move("cancel", "QUEUED", "owner", "OrderManager.OrderCancelled", refused),
	move("cancel", "MAKING", "barista", "OrderManager.OrderCancelled", refused),
	move("remind", "READY", "barista", "OrderManager.CustomerReminded", {
		status: 429,
		code: "rate_limited",
		acts: false,
	}),
	{
		name: "PATCH /api/stores/{store}",
		async setup(storeId, barista) {
			return {
				send: (key) => keyed("PATCH", `/api/stores/${storeId}`, barista, key, { paused: true }),
				async acted() {
					const { version } = (await call("GET", `/api/stores/${storeId}`)).body;
					// Each change is one version step and one event (the store's creation was the first of both).
					expect(await storeEvents(storeId, "ConfigService.ConfigChanged", version)).toBe(version);
					return version - 1;
				},
			};
		},
		fresh: { status: 200, acts: true },
	},
	{
		name: "POST /api/stores/{store}/scans",
		async setup(storeId, barista) {
			const me = await attendee("Ada");
			const { code } = await currentCode(storeId, barista);
			return {
				send: (key) => keyed("POST", `/api/stores/${storeId}/scans`, me.token, key, { code }),
				async acted() {
					const audit = await env.STORE.getByName(storeId).audit();
					expect(audit.codes.reduce((n, c) => n + c.redeemed, 0)).toBe(audit.orders.length);
					expect(await storeEvents(storeId, "Validator.NewOrder", audit.orders.length)).toBe(audit.orders.length);
					return audit.orders.length;
				},
			};
		},
		// Without a key too, scanning the same code again gets the same order back.
		fresh: { status: 200, acts: false },
	},
	{
		name: "POST /api/stores/{store}/walk-ups",
		async setup(storeId, barista) {
			return {
				send: (key) => keyed("POST", `/api/stores/${storeId}/walk-ups`, barista, key, { ...latte, name: "Grace" }),
				async acted() {
					const { orders } = await env.STORE.getByName(storeId).audit();
					for (const { id } of orders) expect(await archived(id, "OrderManager.WaitingCompletion")).toBe(1);
					return orders.length;
				},
			};
		},
		fresh: { status: 201, acts: true },
	},
];

async function freshStore() {
	const store = await createStore({ capacity: 100, drinksPerCode: 100, maxOrdersPerUserPerDay: 100 });
	return { storeId: store.id, barista: await staff(store.id) };
}

describe("a write sent again with the same Idempotency-Key", () => {
	for (const write of writes) {
		it(`${write.name}: answers the first result again, marked as a replay, and acts once`, async () => {
			const { storeId, barista } = await freshStore();
			const { send, acted } = await write.setup(storeId, barista);
			const key = newKey();
			const first = await send(key);
			expect(first.status, first.text).toBeLessThan(300);
			const again = await send(key);
			expect(replayed(first)).toBeNull();
			expect(replayed(again)).toBe("true");
			expect(again.status).toBe(first.status);
			expect(again.text).toBe(first.text);
			expect(await acted()).toBe(1);

			const other = await send(newKey());
			expect([other.status, other.body?.error?.code]).toEqual([write.fresh.status, write.fresh.code]);
			expect(replayed(other)).toBeNull();
			expect(await acted()).toBe(write.fresh.acts ? 2 : 1);
			await expectInvariants(storeId);
		});

		it(`${write.name}: sent four times at the same moment, acts once and answers all four alike`, async () => {
			const { storeId, barista } = await freshStore();
			const { send, acted } = await write.setup(storeId, barista);
			const key = newKey();
			const replies = await Promise.all(Array.from({ length: 4 }, () => send(key)));
			expect(replies[0]!.status, replies[0]!.text).toBeLessThan(300);
			expect(new Set(replies.map((r) => `${r.status} ${r.text}`)).size).toBe(1);
			expect(replies.filter((r) => replayed(r) === null)).toHaveLength(1);
			expect(await acted()).toBe(1);
			await expectInvariants(storeId);
		});
	}
});

describe("what a key remembers", () => {
	it("replays a refusal after the order moved on, while a new key sees the order as it is now", async () => {
		const { storeId } = await freshStore();
		const sam = await staff(storeId, baristaPin, "Sam");
		const kim = await staff(storeId, baristaPin, "Kim");
		const order = await orderIn(storeId, kim, "QUEUED");
		const claim = (token: string, key: string) => keyed("POST", `/api/orders/${order.id}/claim`, token, key);

		// Sam's tap reaches the API after Kim's: the claim is refused, naming the state.
		expect((await act(order.id, "claim", kim)).status).toBe(200);
		const key = newKey();
		const lost = await claim(sam, key);
		expect([lost.status, lost.body.error.code, lost.body.error.details]).toEqual([
			409,
			"illegal_transition",
			{ state: "MAKING" },
		]);

		// Kim finishes the drink; Sam's tablet replays its tap: the answer for that tap stays what it was.
		expect((await act(order.id, "complete", kim)).status).toBe(200);
		const replay = await claim(sam, key);
		expect([replay.text, replayed(replay)]).toEqual([lost.text, "true"]);
		expect((await claim(sam, newKey())).body.error.details).toEqual({ state: "READY" });

		// A tap that succeeded stays a success for its key, whatever happened since.
		const next = await orderIn(storeId, kim, "QUEUED");
		const won = await keyed("POST", `/api/orders/${next.id}/claim`, sam, key);
		expect(won.body.order).toMatchObject({ state: "MAKING", baristaName: "Sam" });
		expect((await act(next.id, "cancel", kim)).body.order.state).toBe("CANCELLED");
		const again = await keyed("POST", `/api/orders/${next.id}/claim`, sam, key);
		expect([again.status, again.text, replayed(again)]).toEqual([200, won.text, "true"]);
		expect(await archived(next.id, "OrderManager.MakeOrder")).toBe(1);
	});

	it("replays the answer a write finished with, not the one it had when it made its change", async () => {
		const { storeId, barista } = await freshStore();
		await orderIn(storeId, barista, "QUEUED");
		// Closing with cancelOpenOrders answers after the cancels: the store changes first, its orders after.
		const close = (key: string) =>
			keyed("PATCH", `/api/stores/${storeId}`, barista, key, { open: false, cancelOpenOrders: true });
		const key = newKey();
		const first = await close(key);
		expect([first.status, first.body.open, first.body.openOrders]).toEqual([200, false, 0]);
		const again = await close(key);
		expect([again.text, replayed(again)]).toEqual([first.text, "true"]);
	});

	it("refuses the same key with another body or path (422), and changes nothing", async () => {
		const { storeId, barista } = await freshStore();
		const order = await orderIn(storeId, barista, "AWAITING_ORDER");
		const key = newKey();
		expect((await keyed("PATCH", `/api/stores/${storeId}`, barista, key, { paused: true })).status).toBe(200);
		const reused = await keyed("PATCH", `/api/stores/${storeId}`, barista, key, { paused: false });
		expect([reused.status, reused.body.error.code]).toEqual([422, "idempotency_key_reused"]);
		expect(reused.body.error.message).toMatch(/Idempotency-Key/);
		const walkUp = await keyed("POST", `/api/stores/${storeId}/walk-ups`, barista, key, latte);
		expect([walkUp.status, walkUp.body.error.code]).toEqual([422, "idempotency_key_reused"]);
		const store = (await call("GET", `/api/stores/${storeId}`)).body;
		expect([store.paused, store.version, store.openOrders]).toEqual([true, 2, 1]);

		// Keys are kept by the object they act on: to the order, this one is new.
		const submitted = await keyed("PUT", `/api/orders/${order.id}`, order.owner, key, latte);
		expect(submitted.body.order.drink.id).toBe("latte");
		const otherDrink = await keyed("PUT", `/api/orders/${order.id}`, order.owner, key, { drink: "espresso" });
		expect([otherDrink.status, otherDrink.body.error.code]).toEqual([422, "idempotency_key_reused"]);
		const claimKey = newKey();
		expect((await keyed("POST", `/api/orders/${order.id}/claim`, barista, claimKey)).status).toBe(200);
		const otherMove = await keyed("POST", `/api/orders/${order.id}/complete`, barista, claimKey);
		expect([otherMove.status, otherMove.body.error.code]).toEqual([422, "idempotency_key_reused"]);
		expect((await call("GET", `/api/orders/${order.id}`, { token: barista })).body.order).toMatchObject({
			state: "MAKING",
			version: 3,
		});
	});

	it("refuses a malformed key with 400 naming the header, and changes nothing", async () => {
		const { storeId, barista } = await freshStore();
		const order = await orderIn(storeId, barista, "QUEUED");
		for (const bad of ["", "k".repeat(256), "tab\there", "del\x7f"]) {
			const reply = await keyed("POST", `/api/orders/${order.id}/claim`, barista, bad);
			expect([reply.status, reply.body.error.code], JSON.stringify(bad)).toEqual([400, "invalid_request"]);
			expect(reply.body.error.message).toMatch(/^Idempotency-Key: /);
			expect(reply.body.error.details.issues).toEqual([{ path: "Idempotency-Key", message: expect.any(String) }]);
		}
		const patch = await keyed("PATCH", `/api/stores/${storeId}`, barista, "", { paused: true });
		expect(patch.status).toBe(400);
		expect((await call("GET", `/api/orders/${order.id}`, { token: barista })).body.order).toMatchObject({
			state: "QUEUED",
			version: 2,
		});
		expect((await call("GET", `/api/stores/${storeId}`)).body).toMatchObject({ paused: false, version: 1 });
		// Keys of 255 printable characters, and the draft's quoted form, are keys like any other.
		expect((await keyed("POST", `/api/orders/${order.id}/claim`, barista, "k".repeat(255))).status).toBe(200);
		expect((await keyed("POST", `/api/orders/${order.id}/unclaim`, barista, `"${newKey()}"`)).status).toBe(200);
	});

	it("keeps each caller's keys to themselves", async () => {
		const { storeId } = await freshStore();
		const sam = await staff(storeId, baristaPin, "Sam");
		const kim = await staff(storeId, baristaPin, "Kim");
		const key = newKey();
		const paused = await keyed("PATCH", `/api/stores/${storeId}`, sam, key, { paused: true });
		const resumed = await keyed("PATCH", `/api/stores/${storeId}`, kim, key, { paused: false });
		expect([paused.body.paused, resumed.body.paused, replayed(resumed)]).toEqual([true, false, null]);

		const { code } = await currentCode(storeId, sam);
		const [ada, bob] = await Promise.all([attendee("Ada"), attendee("Bob")]);
		const scans = await Promise.all(
			[ada, bob].map((p) => keyed("POST", `/api/stores/${storeId}/scans`, p.token, key, { code })),
		);
		expect(scans.map((s) => [s.status, replayed(s)])).toEqual([
			[201, null],
			[201, null],
		]);
		expect(scans[0]!.body.orderId).not.toBe(scans[1]!.body.orderId);
	});

	it("does not remember 'try again' answers: after a 503 or a 429 the same key acts", async () => {
		const { storeId, barista } = await freshStore();
		const order = await orderIn(storeId, barista, "AWAITING_ORDER");
		const stub = env.ORDER.getByName(order.id);
		const key = newKey();
		const restore = await breakBinding(stub, "STORE");
		const down = await keyed("PUT", `/api/orders/${order.id}`, order.owner, key, latte);
		expect([down.status, down.body.error.code]).toEqual([503, "unavailable"]);
		await restore();
		const retried = await keyed("PUT", `/api/orders/${order.id}`, order.owner, key, latte);
		expect([retried.status, retried.body.order.state, replayed(retried)]).toEqual([200, "QUEUED", null]);

		const ready = await orderIn(storeId, barista, "READY");
		expect((await keyed("POST", `/api/orders/${ready.id}/remind`, barista, newKey())).status).toBe(200);
		const remindKey = newKey();
		const tooSoon = await keyed("POST", `/api/orders/${ready.id}/remind`, barista, remindKey);
		expect([tooSoon.status, tooSoon.body.error.code]).toEqual([429, "rate_limited"]);
		// A minute on (the last call moved back in the order's storage, and the object woken afresh to read it).
		const readyStub = env.ORDER.getByName(ready.id);
		await runInDurableObject(readyStub, (_: OrderDO, state) => {
			state.storage.sql.exec(
				`UPDATE order_record SET data = json_set(data, '$.order.remindedAt', ?)`,
				new Date(Date.now() - 120_000).toISOString(),
			);
		});
		await evictDurableObject(readyStub);
		const later = await keyed("POST", `/api/orders/${ready.id}/remind`, barista, remindKey);
		expect([later.status, later.body.order.reminders, replayed(later)]).toEqual([200, 2, null]);
	});

	it("finishes a walk-up whose order could not be reached at first with the retry of its key, as one order", async () => {
		const { storeId, barista } = await freshStore();
		const store = env.STORE.getByName(storeId);
		const restore = await breakBinding(store, "ORDER");
		const key = newKey();
		const down = await keyed("POST", `/api/stores/${storeId}/walk-ups`, barista, key, latte);
		expect([down.status, down.body.error.code]).toEqual([503, "unavailable"]);
		await restore();
		// The store starts the order it could not reach from its alarm; the retry then finishes that same order.
		expect(await runDurableObjectAlarm(store)).toBe(true);
		const retried = await keyed("POST", `/api/stores/${storeId}/walk-ups`, barista, key, latte);
		expect([retried.status, retried.body.order?.state, retried.body.order?.number, replayed(retried)]).toEqual([
			201,
			"QUEUED",
			1,
			null,
		]);
		expect((await store.audit()).orders.map((o) => o.id)).toEqual([retried.body.order.id]);
		await expectInvariants(storeId);
	});
});

describe("where the records live", () => {
	it("remembers the answer with the change itself: an order stopped right after acting still replays it", async () => {
		const { storeId, barista } = await freshStore();
		const order = await orderIn(storeId, barista, "QUEUED");
		const stub = env.ORDER.getByName(order.id);
		// The claim is made, then the order waits for the store to hear of it, and stops before it answers.
		await breakBinding(stub, "STORE", "hang");
		const key = newKey();
		const cut = keyed("POST", `/api/orders/${order.id}/claim`, barista, key);
		await until(
			async () => (await call("GET", `/api/orders/${order.id}`, { token: barista })).body.order.state === "MAKING",
			20,
		);
		await runInDurableObject(stub, (_: OrderDO, state) => state.abort("stopped by the test")).catch(() => undefined);
		expect((await cut).status).toBeGreaterThanOrEqual(500);

		const retried = await keyed("POST", `/api/orders/${order.id}/claim`, barista, key);
		expect([retried.status, retried.body.order?.state, retried.body.order?.version, replayed(retried)]).toEqual([
			200,
			"MAKING",
			3,
			"true",
		]);
		expect(await archived(order.id, "OrderManager.MakeOrder")).toBe(1);
		await expectInvariants(storeId);
	});

	it("writes nothing for a request without a key", async () => {
		const { storeId, barista } = await freshStore();
		const order = await orderIn(storeId, barista, "READY");
		// The table comes with the object's schema (no storage for what does not exist); unkeyed writes add no row.
		const records = (state: DurableObjectState) =>
			state.storage.sql.exec<{ n: number }>(`SELECT count(*) AS n FROM idempotency_keys`).one().n;
		expect(await runInDurableObject(env.ORDER.getByName(order.id), (_: OrderDO, state) => records(state))).toBe(0);
		expect(await runInDurableObject(env.STORE.getByName(storeId), (_: StoreDO, state) => records(state))).toBe(0);
	});

	it("keeps them through eviction, in the order and in the store", async () => {
		const { storeId, barista } = await freshStore();
		const order = await orderIn(storeId, barista, "QUEUED");
		const key = newKey();
		const claimed = await keyed("POST", `/api/orders/${order.id}/claim`, barista, key);
		const walkUp = await keyed("POST", `/api/stores/${storeId}/walk-ups`, barista, key, latte);
		expect([claimed.status, walkUp.status]).toEqual([200, 201]);
		await evictDurableObject(env.ORDER.getByName(order.id));
		await evictDurableObject(env.ORDER.getByName(walkUp.body.order.id));
		await evictDurableObject(env.STORE.getByName(storeId));
		const claimedAgain = await keyed("POST", `/api/orders/${order.id}/claim`, barista, key);
		const walkUpAgain = await keyed("POST", `/api/stores/${storeId}/walk-ups`, barista, key, latte);
		expect([claimedAgain.text, replayed(claimedAgain)]).toEqual([claimed.text, "true"]);
		expect([walkUpAgain.text, replayed(walkUpAgain)]).toEqual([walkUp.text, "true"]);
		expect((await env.STORE.getByName(storeId).audit()).orders).toHaveLength(2);
	});

	it("keeps a store's records at least a day, and prunes them with the store's daily clean-up", async () => {
		const { storeId, barista } = await freshStore();
		const stub = env.STORE.getByName(storeId);
		const pause = (key: string) => keyed("PATCH", `/api/stores/${storeId}`, barista, key, { paused: true });
		const key = newKey();
		const first = await pause(key);
		// The store's one timer is its daily clean-up; the alarm runs it as of when it was due: a day after the store was created.
		const timers = await runInDurableObject(stub, (_: StoreDO, state) =>
			state.storage.sql.exec<{ kind: string }>(`SELECT kind FROM timers`).toArray(),
		);
		expect(timers).toEqual([{ kind: "prune" }]);
		expect(await runDurableObjectAlarm(stub)).toBe(true);
		const dayOn = await pause(key);
		expect([dayOn.text, replayed(dayOn)]).toEqual([first.text, "true"]);

		// Two days on, the record has gone: the same key is a new request.
		expect(await runDurableObjectAlarm(stub)).toBe(true);
		const twoDaysOn = await pause(key);
		expect([twoDaysOn.status, replayed(twoDaysOn), twoDaysOn.body.version]).toEqual([
			200,
			null,
			first.body.version + 1,
		]);
	});

	it("forgets an attendee's keys, and every answer naming them, when they ask to be forgotten", async () => {
		const { storeId, barista } = await freshStore();
		const me = await attendee("Ada");
		const { code } = await currentCode(storeId, barista);
		const scanned = await keyed("POST", `/api/stores/${storeId}/scans`, me.token, newKey(), { code });
		const orderId = scanned.body.orderId;
		expect((await keyed("PUT", `/api/orders/${orderId}`, me.token, newKey(), latte)).status).toBe(200);
		expect((await keyed("POST", `/api/orders/${orderId}/claim`, barista, newKey())).body.order.name).toBe("Ada");
		const records = async () => [
			...(await runInDurableObject(env.STORE.getByName(storeId), (_: StoreDO, state) =>
				state.storage.sql.exec(`SELECT caller, result FROM idempotency_keys`).toArray(),
			)),
			...(await runInDurableObject(env.ORDER.getByName(orderId), (_: OrderDO, state) =>
				state.storage.sql.exec(`SELECT caller, result FROM idempotency_keys`).toArray(),
			)),
		];
		expect(JSON.stringify(await records())).toContain(me.userId);

		expect((await call("DELETE", "/api/me", { token: me.token })).status).toBe(200);
		const left = JSON.stringify(await records());
		expect(left).not.toContain(me.userId);
		expect(left).not.toContain("Ada");
	});
});

describe("the contract", () => {
	it("declares the header, its 422 and the replay mark on every write that takes it, and only there", async () => {
		const doc = (await call("GET", "/api/openapi.json")).body as {
			paths: Record<
				string,
				Record<
					string,
					{
						parameters?: { name: string; in: string }[];
						responses: Record<string, { headers?: Record<string, unknown> }>;
					}
				>
			>;
		};
		const declaring = Object.entries(doc.paths).flatMap(([path, methods]) =>
			Object.entries(methods)
				.filter(([, operation]) => operation.parameters?.some((p) => p.name === "Idempotency-Key" && p.in === "header"))
				.map(([method, operation]) => ({ route: `${method.toUpperCase()} /api${path}`, operation })),
		);
		expect(declaring.map((d) => d.route).sort()).toEqual(
			[
				"PUT /api/orders/{id}",
				"POST /api/orders/{id}/claim",
				"POST /api/orders/{id}/unclaim",
				"POST /api/orders/{id}/complete",
				"POST /api/orders/{id}/cancel",
				"POST /api/orders/{id}/remind",
				"PATCH /api/stores/{store}",
				"POST /api/stores/{store}/scans",
				"POST /api/stores/{store}/walk-ups",
			].sort(),
		);
		for (const { route, operation } of declaring) {
			expect(Object.keys(operation.responses), route).toContain("422");
			const successes = Object.entries(operation.responses).filter(([status]) => Number(status) < 300);
			for (const [status, response] of successes)
				expect(response.headers, `${route} ${status}`).toHaveProperty("Idempotent-Replayed");
		}
	});

	it("lets the typed client send a key", async () => {
		const { storeId, barista } = await freshStore();
		const order = await orderIn(storeId, barista, "QUEUED");
		const api = apiClient("https://edgepresso.test", () => barista);
		const viaWorker = (input: RequestInfo | URL, init?: RequestInit) => exports.default.fetch(new Request(input, init));
		const options = { ...idempotent(), fetch: viaWorker };
		const claim = () => api.api.orders[":id"].claim.$post({ param: { id: order.id } }, options);
		const first = await read(claim());
		expect(first.order.state).toBe("MAKING");
		const again = await claim();
		expect(again.headers.get("Idempotent-Replayed")).toBe("true");
		expect(await again.json()).toEqual(first);
		const other = api.api.orders[":id"].claim.$post({ param: { id: order.id } }, { ...idempotent(), fetch: viaWorker });
		await expect(read(other)).rejects.toMatchObject({ status: 409, code: "illegal_transition" });
	});
});
