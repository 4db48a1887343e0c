import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import type { OrderDO } from "../durable-objects/order/order";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { act, admitted, attendee, call, createStore, currentCode, projected, scan, staff, submit } from "./helpers";

// Timers use the store's default 5- and 15-minute windows, so they never fire on their own during a test:
// `runDurableObjectAlarm` fires them, and the order treats that as the moment its alarm was armed for.

const orderStub = (orderId: string) => env.ORDER.getByName(orderId);
const openOrders = (storeId: string) => env.STORE.getByName(storeId).openOrders();

/**
 * Delivers `kind` again, as an at-least-once alarm may. The alarm is armed a minute ahead (so it does not
 * fire on its own) and run now: the timer counts as due, the order's later timers (retention) do not.
 */
async function lateTimer(orderId: string, kind: "customer" | "barista") {
	const due = Date.now() + 60_000;
	await runInDurableObject(orderStub(orderId), async (_: OrderDO, state) => {
		state.storage.sql.exec(
			`INSERT INTO timers (kind, due_at) VALUES (?, ?) ON CONFLICT (kind) DO UPDATE SET due_at = excluded.due_at`,
			kind,
			due,
		);
		state.storage.sql.exec(`UPDATE alarm SET armed_at = ? WHERE id = 1`, due);
		await state.storage.setAlarm(due);
	});
	// A fresh instance reads the alarm's time from storage, as after a restart.
	await evictDurableObject(orderStub(orderId));
	await runDurableObjectAlarm(orderStub(orderId));
}

async function state(orderId: string, token: string) {
	return (await call("GET", `/api/orders/${orderId}`, { token })).body.order;
}

describe("timers", () => {
	it("times out an attendee who does not order in time, and frees their capacity slot", async () => {
		const store = await createStore({ capacity: 1 });
		const barista = await staff(store.id);
		const { token, orderId } = await admitted(store.id, barista);
		const { code } = await currentCode(store.id, barista);
		const waiting = await attendee();
		expect((await scan(store.id, waiting.token, code)).body.error.code).toBe("at_capacity");

		expect(await runDurableObjectAlarm(orderStub(orderId))).toBe(true);
		expect(await state(orderId, token)).toMatchObject({
			state: "TIMED_OUT",
			reason: "customer_timeout",
			expiresAt: null,
		});
		expect(await openOrders(store.id)).toBe(0);
		expect((await scan(store.id, waiting.token, code)).status).toBe(201);
		expect(await projected(orderId, 2)).toMatchObject({ state: "TIMED_OUT", reason: "customer_timeout" });
	});

	it("times out a queued order no barista makes in time", async () => {
		const store = await createStore();
		const barista = await staff(store.id);
		const { token, orderId } = await admitted(store.id, barista);
		const queued = (await submit(orderId, token)).body.order;
		expect(Date.parse(queued.expiresAt!) - Date.parse(queued.queuedAt!)).toBe(900_000);
		expect(await runDurableObjectAlarm(orderStub(orderId))).toBe(true);
		expect(await state(orderId, token)).toMatchObject({ state: "TIMED_OUT", reason: "barista_timeout" });
		expect(await openOrders(store.id)).toBe(0);
	});

	it("times out an order a barista claimed but never completed", async () => {
		const store = await createStore();
		const barista = await staff(store.id);
		const { token, orderId } = await admitted(store.id, barista);
		await submit(orderId, token);
		await act(orderId, "claim", barista);
		await runDurableObjectAlarm(orderStub(orderId));
		expect(await state(orderId, token)).toMatchObject({ state: "TIMED_OUT", reason: "barista_timeout" });
	});

	it("keeps the barista's deadline across an unclaim", async () => {
		const store = await createStore();
		const barista = await staff(store.id);
		const { token, orderId } = await admitted(store.id, barista);
		const deadline = (await submit(orderId, token)).body.order.expiresAt;
		await act(orderId, "claim", barista);
		const back = (await act(orderId, "unclaim", barista)).body.order;
		expect(back.expiresAt).toBe(deadline);
	});

	it("does nothing when the alarm comes after the order finished, and frees the slot only once", async () => {
		const store = await createStore();
		const barista = await staff(store.id);
		const { token, orderId } = await admitted(store.id, barista);
		await submit(orderId, token);
		await act(orderId, "claim", barista);
		await act(orderId, "complete", barista);
		expect(await openOrders(store.id)).toBe(0);

		// A timer delivered late (alarms are at least once), after the order finished, finds nothing to do.
		await lateTimer(orderId, "barista");
		expect(await state(orderId, token)).toMatchObject({ state: "READY", version: 4 });

		// One other order holds a slot. The finished order reports its final state again (a retried sync),
		// even with a higher version: the store does not free a second slot.
		await admitted(store.id, barista);
		const order = (await call("GET", `/api/orders/${orderId}`, { token })).body.order;
		await env.STORE.getByName(store.id).track(order);
		await env.STORE.getByName(store.id).track({ ...order, version: order.version + 1 });
		expect(await openOrders(store.id)).toBe(1);
	});

	it("ignores a stale report that arrives after the final one", async () => {
		const store = await createStore();
		const barista = await staff(store.id);
		const { token, orderId } = await admitted(store.id, barista);
		const queued = (await submit(orderId, token)).body.order;
		await act(orderId, "cancel", token);
		expect(await openOrders(store.id)).toBe(0);
		await env.STORE.getByName(store.id).track(queued);
		expect(await openOrders(store.id)).toBe(0);
	});

	it("runs a missed timer when the alarm fires late, as after a restart", async () => {
		const store = await createStore({ customerTimeoutSeconds: 5 });
		const barista = await staff(store.id);
		const { token, orderId } = await admitted(store.id, barista);
		// The 5-second timer may fire on its own; either way the order ends TIMED_OUT, once, even if the
		// customer timer is delivered a second time.
		await runDurableObjectAlarm(orderStub(orderId));
		await lateTimer(orderId, "customer");
		expect(await state(orderId, token)).toMatchObject({ state: "TIMED_OUT", version: 2 });
		expect(await openOrders(store.id)).toBe(0);
	});
});
