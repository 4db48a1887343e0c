import { createMessageBatch } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { consumeEvents, rules, type Rule } from "../workers/events/consumer";
import { createEvent } from "#contract/events.ts";
import type { ReplayPage } from "../workers/events/replay";
import { act, adminToken, admitted, call, createStore, projected, staff, submit } from "./helpers";
import { until } from "./until";

const rows = async (storeId: string) => ({
	orders: (await env.DB.prepare(`SELECT * FROM orders WHERE store_id = ? ORDER BY id`).bind(storeId).all()).results,
	stores: (await env.DB.prepare(`SELECT * FROM stores WHERE id = ?`).bind(storeId).all()).results,
});

async function replay(body: Record<string, unknown>): Promise<ReplayPage[]> {
	const pages: ReplayPage[] = [];
	let cursor: string | undefined;
	do {
		const reply = await call<ReplayPage>("POST", "/api/admin/replay", {
			token: adminToken,
			body: { replay: "test", ...body, ...(cursor ? { cursor } : {}) },
		});
		expect(reply.status).toBe(200);
		pages.push(reply.body);
		cursor = reply.body.cursor ?? undefined;
	} while (cursor);
	return pages;
}

describe("replaying archived events", () => {
	it("rebuilds a store's D1 projection from scratch, equal to the original", async () => {
		const from = new Date(Date.now() - 1000).toISOString();
		const store = await createStore();
		const barista = await staff(store.id);
		const ready = await admitted(store.id, barista, "Ada Lovelace");
		await submit(ready.orderId, ready.token, {
			drink: "cappuccino",
			options: { milk: "soy", syrup: ["vanilla", "caramel"] },
		});
		await act(ready.orderId, "claim", barista);
		await act(ready.orderId, "complete", barista);
		const cancelled = await admitted(store.id, barista, "Grace");
		await submit(cancelled.orderId, cancelled.token);
		await act(cancelled.orderId, "cancel", cancelled.token);
		const waiting = await admitted(store.id, barista);
		await call("PATCH", `/api/stores/${store.id}`, { token: barista, body: { paused: true } });
		await projected(ready.orderId, 4);
		await projected(cancelled.orderId, 3);
		await projected(waiting.orderId, 1);
		const original = await until(async () => {
			const now = await rows(store.id);
			return now.stores[0]?.version === 2 ? now : null;
		});
		expect(original.orders).toHaveLength(3);

		const pages = await replay({ from, to: new Date(Date.now() + 1000).toISOString(), store: store.id, rebuild: true });
		expect(pages[0]!.wiped).toEqual({ orders: 3, stores: 1 });
		// 2 ConfigChanged, 3 NewOrder, 3 WorkflowStarted, 2 WaitingCompletion, MakeOrder, OrderCompleted, OrderCancelled.
		expect(pages.reduce((n, page) => n + page.sent, 0)).toBe(13);

		const rebuilt = await until(async () => {
			const now = await rows(store.id);
			return now.orders.length === 3 && now.stores.length === 1 && JSON.stringify(now) === JSON.stringify(original)
				? now
				: null;
		}, 50);
		expect(rebuilt).toEqual(original);
		// The archive is the source, not a target: still one row per event.
		const archived = await env.DB.prepare(`SELECT count(*) AS n FROM order_events WHERE store_id = ?`)
			.bind(store.id)
			.first<{ n: number }>();
		expect(archived?.n).toBe(13);
	});

	it("feeds replayed events only to replay-safe rules: the projector, never the notifier", async () => {
		expect(rules.filter((rule) => rule.replaySafe).map((rule) => rule.name)).toEqual(["projector"]);
		expect(rules.some((rule) => rule.name === "notifier")).toBe(true);

		const safe = vi.fn(async () => new Set<string>());
		const unsafe = vi.fn(async () => new Set<string>());
		const spies: Rule[] = [
			{ name: "safe", pattern: "*", handle: safe, replaySafe: true },
			{ name: "unsafe", pattern: "*", handle: unsafe },
		];
		const event = createEvent(
			"OrderProcessor.ShopUnavailable",
			{ storeId: "replayed", time: Date.now() },
			{ userId: "u", reason: "store_closed" },
		);
		const batch = createMessageBatch("edgepresso-events", [
			{ id: "r-1", timestamp: new Date(), attempts: 1, body: { replay: "test", event } },
		]);
		await consumeEvents(batch, env, spies);
		expect(safe).toHaveBeenCalledWith([event], env);
		expect(unsafe).not.toHaveBeenCalled();
	});

	it("refuses a range that ends before it starts", async () => {
		const reply = await call("POST", "/api/admin/replay", {
			token: adminToken,
			body: { replay: "test", from: "2026-11-27T10:00:00Z", to: "2026-11-27T09:00:00Z" },
		});
		expect(reply.status).toBe(400);
		expect(reply.body.error.message).toMatch(/from must be before to/);
	});
});
