import { env } from "cloudflare:workers";
import { expect, vi } from "vitest";
import type { Order } from "../contract/order";
import { isOpenState } from "../contract/moves";
import { call } from "./helpers";

/**
 * The guarantees that must hold after any fault: every order is finished or legitimately open (a timer will
 * end it), the store holds exactly one capacity slot per open order, no code admitted more attendees than it
 * had tokens, the store's view of each order matches the order's own, and D1 converges to the Durable
 * Objects' truth once the queue drains. Attendees in `forgotten` (who asked to be forgotten) appear in no
 * order, in the Durable Objects or in D1. Returns the orders it checked.
 */
export async function expectInvariants(storeId: string, { d1 = true, forgotten = [] as string[] } = {}): Promise<Order[]> {
	const audit = await env.STORE.getByName(storeId).audit();
	for (const code of audit.codes) {
		expect(code.left, `code ${code.code}`).toBeGreaterThanOrEqual(0);
		expect(code.redeemed, `code ${code.code}`).toBe(code.total - code.left);
	}
	const orders: Order[] = [];
	for (const { id } of audit.orders) {
		const reply = await call<{ order: Order }>("GET", `/api/orders/${id}`, { token: env.ADMIN_TOKEN });
		if (reply.status === 200) {
			orders.push(reply.body.order);
			continue;
		}
		// A finished order past retention has left its Durable Object: D1 must hold it, finished.
		expect(reply.status, `order ${id}`).toBe(404);
		const row = await env.DB.prepare(`SELECT state, finished_at FROM orders WHERE id = ?`).bind(id).first<{ state: string; finished_at: number | null }>();
		expect(row, `order ${id} is in neither its Durable Object nor D1: lost`).not.toBeNull();
		expect(isOpenState(row!.state as Order["state"]), `erased order ${id} was still open`).toBe(false);
		expect(row!.finished_at).not.toBeNull();
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
	for (const order of orders) expect(forgotten, `order ${order.id} still names a forgotten attendee`).not.toContain(order.userId);
	// Exactly one slot per open order, per the orders themselves.
	const open = orders.filter((o) => isOpenState(o.state)).length;
	expect(audit.openOrders, "capacity slots held vs open orders").toBe(open);
	await vi.waitUntil(
		async () => {
			const fresh = await env.STORE.getByName(storeId).audit();
			return orders.every((o) => fresh.orders.find((r) => r.id === o.id)?.state === o.state);
		},
		{ timeout: 10_000, interval: 50 },
	);
	if (d1) {
		await vi.waitUntil(
			async () => {
				const rows = await env.DB.prepare(`SELECT id, state, version FROM orders WHERE store_id = ?`).bind(storeId).all<{ id: string; state: string; version: number }>();
				const byId = new Map(rows.results.map((r) => [r.id, r]));
				return orders.every((o) => byId.get(o.id)?.state === o.state && byId.get(o.id)?.version === o.version);
			},
			{ timeout: 20_000, interval: 100 },
		);
		const named = await env.DB.prepare(`SELECT id, user_id FROM orders WHERE store_id = ?`).bind(storeId).all<{ id: string; user_id: string }>();
		expect(named.results.filter((row) => forgotten.includes(row.user_id)), "D1 rows naming a forgotten attendee").toEqual([]);
	}
	return orders;
}
