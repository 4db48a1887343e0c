import {
	createExecutionContext,
	createMessageBatch,
	evictDurableObject,
	getQueueResult,
	runDurableObjectAlarm,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { attendeeDirectory } from "../durable-objects/attendees/directory";
import worker from "../workers/index";
import {
	act,
	adminToken,
	admitted,
	attendee,
	call,
	createStore,
	currentCode,
	deadLetters,
	projected,
	scan,
	staff,
	submit,
	unmetered,
} from "./helpers";
import { expectInvariants } from "./invariants";
import { breakBinding } from "./outage";
import { until } from "./until";

/** Makes the event consumer fail every projection of this store's orders (D1 refuses them), and returns the undo. */
async function breakProjection(storeId: string): Promise<() => Promise<void>> {
	const trigger = `refuse_${storeId.replaceAll("-", "_")}`;
	await env.DB.prepare(
		`CREATE TRIGGER ${trigger} BEFORE INSERT ON orders WHEN NEW.store_id = '${storeId}' BEGIN SELECT RAISE(ABORT, 'projection down'); END`,
	).run();
	return async () => void (await env.DB.prepare(`DROP TRIGGER ${trigger}`).run());
}

describe("when a part is down", () => {
	it("frees the capacity slot from the alarm when the store could not be told at first", async () => {
		const store = await createStore();
		const barista = await staff(store.id);
		const { token, orderId } = await admitted(store.id, barista);
		await submit(orderId, token);
		const stub = env.ORDER.getByName(orderId);
		const restore = await breakBinding(stub, "STORE");

		expect((await act(orderId, "cancel", token)).body.order.state).toBe("CANCELLED");
		expect(await env.STORE.getByName(store.id).openOrders()).toBe(1);

		await restore();
		await runDurableObjectAlarm(stub);
		expect(await env.STORE.getByName(store.id).openOrders()).toBe(0);
	});

	it("keeps events in the outbox while the queue refuses them, and sends them from the alarm", async () => {
		const store = await createStore();
		const barista = await staff(store.id);
		const { token, orderId } = await admitted(store.id, barista);
		await projected(orderId, 1);
		const stub = env.ORDER.getByName(orderId);
		const restore = await breakBinding(stub, "EVENTS");

		expect((await submit(orderId, token)).body.order.state).toBe("QUEUED");
		await new Promise((resolve) => setTimeout(resolve, 300));
		const row = await env.DB.prepare(`SELECT version FROM orders WHERE id = ?`)
			.bind(orderId)
			.first<{ version: number }>();
		expect(row!.version).toBe(1);

		await restore();
		await runDurableObjectAlarm(stub);
		expect(await projected(orderId, 2)).toMatchObject({ state: "QUEUED", number: 1 });
		expect((await call("GET", `/api/orders/${orderId}`, { token })).body.order.state).toBe("QUEUED");
	});
});

describe("fault scenarios, with the invariants checked after each", () => {
	it("survives an OrderDO evicted mid-workflow, at every step", async () => {
		const store = await createStore();
		const barista = await staff(store.id);
		const { token, orderId } = await admitted(store.id, barista);
		const stub = env.ORDER.getByName(orderId);
		await evictDurableObject(stub);
		expect((await submit(orderId, token)).body.order.state).toBe("QUEUED");
		await evictDurableObject(stub);
		expect((await act(orderId, "claim", barista)).body.order.state).toBe("MAKING");
		await evictDurableObject(stub);
		expect((await act(orderId, "complete", barista)).body.order).toMatchObject({ state: "READY", version: 4 });
		// An evicted object with a running timer still times out.
		const waiting = await admitted(store.id, barista);
		await evictDurableObject(env.ORDER.getByName(waiting.orderId));
		await runDurableObjectAlarm(env.ORDER.getByName(waiting.orderId));
		expect((await call("GET", `/api/orders/${waiting.orderId}`, { token: waiting.token })).body.order.state).toBe(
			"TIMED_OUT",
		);
		await expectInvariants(store.id);
	});

	it("never oversells a code when the StoreDO is evicted between scans", async () => {
		const store = await createStore({ drinksPerCode: 10, capacity: 100 });
		const barista = await staff(store.id);
		const { code } = await currentCode(store.id, barista);
		const stub = env.STORE.getByName(store.id);
		let admitted = 0;
		for (let round = 0; round < 4; round++) {
			const people = await Promise.all(Array.from({ length: 5 }, () => attendee()));
			const replies = await Promise.all(people.map((p) => scan(store.id, p.token, code)));
			admitted += replies.filter((r) => r.status === 201).length;
			await evictDurableObject(stub);
		}
		expect(admitted).toBe(10);
		expect((await currentCode(store.id, barista)).tokensLeft).toBe(0);
		await expectInvariants(store.id);
	});

	it("times out and frees the slot even when the store is down as the timer fires (the alarm retries)", async () => {
		const store = await createStore({ capacity: 1 });
		const barista = await staff(store.id);
		const { orderId } = await admitted(store.id, barista);
		const stub = env.ORDER.getByName(orderId);
		const restore = await breakBinding(stub, "STORE");
		await runDurableObjectAlarm(stub);
		expect(await env.STORE.getByName(store.id).openOrders()).toBe(1);
		await restore();
		await runDurableObjectAlarm(stub);
		expect(await env.STORE.getByName(store.id).openOrders()).toBe(0);
		await expectInvariants(store.id);
	});

	it("converges D1 when the queue delivers every event again, in reverse", async () => {
		const store = await createStore();
		const barista = await staff(store.id);
		for (let i = 0; i < 3; i++) {
			const { token, orderId } = await admitted(store.id, barista);
			await submit(orderId, token);
			if (i > 0) await act(orderId, "claim", barista);
			if (i > 1) await act(orderId, "complete", barista);
		}
		await expectInvariants(store.id);
		const archive = await env.DB.prepare(`SELECT envelope FROM order_events WHERE store_id = ? ORDER BY time`)
			.bind(store.id)
			.all<{ envelope: string }>();
		const bodies = archive.results.map((r) => JSON.parse(r.envelope)).reverse();
		const batch = createMessageBatch(
			"edgepresso-events",
			bodies.map((body, i) => ({ id: `again-${i}`, timestamp: new Date(), attempts: 2, body })),
		);
		await worker.queue(batch, unmetered);
		expect((await getQueueResult(batch, createExecutionContext())).explicitAcks).toHaveLength(bodies.length);
		await expectInvariants(store.id);
		const count = await env.DB.prepare(`SELECT count(*) AS n FROM order_events WHERE store_id = ?`)
			.bind(store.id)
			.first("n");
		expect(count).toBe(bodies.length);
	});

	it("retries a consumer that keeps failing, then parks the events in the dead-letter queue", async () => {
		const store = await createStore();
		const barista = await staff(store.id);
		// Break the projection for this store's events only: a trigger that refuses its orders.
		const fixProjection = await breakProjection(store.id);
		const { orderId } = await admitted(store.id, barista);
		const parked = await until(
			() =>
				env.DB.prepare(`SELECT * FROM dead_letters WHERE body LIKE ?`)
					.bind(`%${orderId}%`)
					.first<Record<string, any>>(),
			200,
		);
		expect(parked.error).toBe("retries exhausted");
		await fixProjection();
		// The Durable Objects are untouched by the consumer's trouble.
		await expectInvariants(store.id, { d1: false });
		// With the projection fixed, the operator redrives the shelf and D1 catches up: nothing was lost.
		const mine = (await deadLetters()).filter((row) => row.orderId === orderId).map((row) => row.id);
		expect(mine.length).toBeGreaterThan(0);
		expect(
			(await call("POST", "/api/admin/dead-letters/redrive", { token: adminToken, body: { ids: mine } })).body,
		).toEqual({ redriven: mine.length, remaining: 0 });
		await expectInvariants(store.id);
	});

	it("forgets an order the read model never saw, though the attendee directory was down as the attendee scanned", async () => {
		const store = await createStore();
		const barista = await staff(store.id);
		const stub = env.STORE.getByName(store.id);
		const fixProjection = await breakProjection(store.id);
		const restore = await breakBinding(stub, "ATTENDEES");
		const gina = await admitted(store.id, barista, "Gina Private");
		expect((await submit(gina.orderId, gina.token, { drink: "latte", name: "Gina Private" })).body.order.state).toBe(
			"QUEUED",
		);
		// The admission is recorded once the directory is back, from the store's alarm, with the order's start.
		const directory = attendeeDirectory(env, gina.userId);
		expect(await directory.storesOf(gina.userId)).toEqual([]);
		await restore();
		await until(async () => {
			await runDurableObjectAlarm(stub);
			return (await directory.storesOf(gina.userId)).includes(store.id);
		}, 50);

		expect((await call("DELETE", "/api/me", { token: gina.token })).body).toEqual({ forgotten: { orders: 1 } });
		expect((await call("GET", `/api/orders/${gina.orderId}`, { token: barista })).body.order).toMatchObject({
			state: "CANCELLED",
			name: null,
			userId: "forgotten",
		});
		await expectInvariants(store.id, { d1: false, forgotten: [gina.userId] });

		// The consumer gave up on the order's events meanwhile; redriven, they reach D1 without the person.
		const mine = await until(async () => {
			const rows = (await deadLetters()).filter((row) => row.orderId === gina.orderId);
			return rows.length >= 4 ? rows.map((row) => row.id) : null;
		}, 200);
		await fixProjection();
		expect(
			(await call("POST", "/api/admin/dead-letters/redrive", { token: adminToken, body: { ids: mine } })).status,
		).toBe(200);
		await expectInvariants(store.id, { forgotten: [gina.userId] });
		const d1 = await env.DB.prepare(
			`SELECT o.*, e.envelope FROM orders o JOIN order_events e ON e.order_id = o.id WHERE o.id = ?`,
		)
			.bind(gina.orderId)
			.all();
		expect(JSON.stringify(d1.results)).not.toMatch(new RegExp(`Gina|${gina.userId}`));
	});
});
