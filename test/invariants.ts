import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { isOpenState } from "#contract/moves.ts";
import type { Order } from "#contract/order.ts";
import type { MeterReading } from "../workers/meter";
import { call } from "./helpers";
import { until } from "./until";

/** Whether an order's outbox holds no event (an order erased after its retention has no table at all). */
function outboxEmpty(orderId: string): Promise<boolean> {
	return runInDurableObject(env.ORDER.getByName(orderId), (_, state) => {
		const table = state.storage.sql
			.exec(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'outbox'`)
			.toArray();
		return (
			table.length === 0 || state.storage.sql.exec<{ n: number }>(`SELECT count(*) AS n FROM outbox`).one().n === 0
		);
	});
}

/**
 * Waits until nothing is on its way to D1: every order's outbox has been sent, then every message written to
 * the queues has been acknowledged, by the event consumer or the dead-letter consumer (the meter, on in every
 * test, counts both; workers/meter.ts).
 */
export async function drained(orderIds: string[]): Promise<void> {
	await Promise.all(orderIds.map((id) => until(() => outboxEmpty(id))));
	await until(async () => {
		const { counts } = (await call<MeterReading>("GET", "/api/admin/meter", { token: env.ADMIN_TOKEN })).body;
		const written = Object.entries(counts).reduce(
			(n, [key, value]) => (key.startsWith("queue.writes.") ? n + value : n),
			0,
		);
		return (counts["queue.acks"] ?? 0) >= written;
	});
}

/**
 * Each order as its Durable Object tells it; an order past its retention has left its object, and then D1
 * must hold it, finished.
 */
async function readOrders(ids: string[]): Promise<Order[]> {
	const orders: Order[] = [];
	for (const id of ids) {
		const reply = await call<{ order: Order }>("GET", `/api/orders/${id}`, { token: env.ADMIN_TOKEN });
		if (reply.status === 200) {
			orders.push(reply.body.order);
			continue;
		}
		// A finished order past retention has left its Durable Object: D1 must hold it, finished.
		expect(reply.status, `order ${id}`).toBe(404);
		const row = await env.DB.prepare(`SELECT state, finished_at FROM orders WHERE id = ?`)
			.bind(id)
			.first<{ state: string; finished_at: number | null }>();
		expect(row, `order ${id} is in neither its Durable Object nor D1: lost`).not.toBeNull();
		expect(isOpenState(row!.state as Order["state"]), `erased order ${id} was still open`).toBe(false);
		expect(row!.finished_at).not.toBeNull();
	}
	return orders;
}

/** The orders whose D1 row, once the queue has drained, is not at their state and version. */
async function differingInD1(
	storeId: string,
	orders: Order[],
): Promise<(Order & { d1: { state: string; version: number } | undefined })[]> {
	await drained(orders.map((o) => o.id));
	const rows = await env.DB.prepare(`SELECT id, state, version FROM orders WHERE store_id = ?`)
		.bind(storeId)
		.all<{ id: string; state: string; version: number }>();
	const byId = new Map(rows.results.map((r) => [r.id, { state: r.state, version: r.version }]));
	return orders
		.map((o) => ({ ...o, d1: byId.get(o.id) }))
		.filter((o) => o.d1?.state !== o.state || o.d1?.version !== o.version);
}

/**
 * The guarantees that must hold after any fault: every order is finished or legitimately open (a timer will
 * end it), the store holds exactly one capacity slot per open order, no code admitted more attendees than it
 * had tokens, the store's view of each order matches the order's own, and D1 holds the Durable Objects'
 * truth once the queue has drained. Attendees in `forgotten` (who asked to be forgotten) appear in no
 * order, in the Durable Objects or in D1. Returns the orders it checked.
 */
export async function expectInvariants(
	storeId: string,
	{ d1 = true, forgotten = [] as string[] } = {},
): Promise<Order[]> {
	// The store and its orders are read apart, and an order's own timer may end it in between (or its news may
	// still be on its way to the store, retried from the order's alarm): read both until the store has heard of
	// every order's state, then check that one consistent picture.
	const { audit, orders } = await until(async () => {
		const audit = await env.STORE.getByName(storeId).audit();
		const orders = await readOrders(audit.orders.map((o) => o.id));
		const heard = orders.every((o) => audit.orders.find((r) => r.id === o.id)?.state === o.state);
		return heard && { audit, orders };
	});
	for (const code of audit.codes) {
		expect(code.left, `code ${code.code}`).toBeGreaterThanOrEqual(0);
		expect(code.redeemed, `code ${code.code}`).toBe(code.total - code.left);
	}
	const now = Date.now();
	for (const order of orders) {
		if (isOpenState(order.state)) {
			expect(order.expiresAt, `open order ${order.id} has no deadline`).not.toBeNull();
			// A deadline in the past is fine only if its timer is about to fire; it must not be long gone.
			expect(Date.parse(order.expiresAt!), `open order ${order.id} is stuck`).toBeGreaterThan(now - 60_000);
		} else {
			expect(order.finishedAt, `finished order ${order.id}`).not.toBeNull();
		}
	}
	for (const order of orders)
		expect(forgotten, `order ${order.id} still names a forgotten attendee`).not.toContain(order.userId);
	// Exactly one slot per open order, per the orders themselves.
	const open = orders.filter((o) => isOpenState(o.state)).length;
	expect(audit.openOrders, "capacity slots held vs open orders").toBe(open);
	if (d1) {
		// An open order's timer may end it while the queue drains: one that moved on since it was read is read again.
		let differing = await differingInD1(storeId, orders);
		if (differing.length > 0) differing = await differingInD1(storeId, await readOrders(differing.map((o) => o.id)));
		expect(
			differing.map((o) => ({ id: o.id, order: [o.state, o.version], d1: o.d1 })),
			"orders whose D1 row differs from the order once the queue drained",
		).toEqual([]);
		const named = await env.DB.prepare(`SELECT id, user_id FROM orders WHERE store_id = ?`)
			.bind(storeId)
			.all<{ id: string; user_id: string }>();
		expect(
			named.results.filter((row) => forgotten.includes(row.user_id)),
			"D1 rows naming a forgotten attendee",
		).toEqual([]);
	}
	return orders;
}
