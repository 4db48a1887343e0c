import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../workers/index";
import { consumeEvents, rules, type Rule } from "../workers/events/consumer";
import { backoffSeconds } from "#contract/delivery.ts";
import { createEvent } from "#contract/events.ts";
import { Settings } from "#contract/store.ts";
import { lifecycle } from "./events";
import { until } from "./until";
import { unmetered } from "./helpers";

let sequence = 0;
async function deliver(
	bodies: unknown[],
	handler: (batch: MessageBatch, ctx: ExecutionContext) => Promise<void> = (b) => worker.queue(b, unmetered),
) {
	const batch = createMessageBatch(
		"edgepresso-events",
		bodies.map((body) => ({ id: `m-${++sequence}`, timestamp: new Date(), attempts: 1, body })),
	);
	const ctx = createExecutionContext();
	await handler(batch, ctx);
	return getQueueResult(batch, ctx);
}

const row = (orderId: string) =>
	env.DB.prepare(`SELECT * FROM orders WHERE id = ?`).bind(orderId).first<Record<string, any>>();
const journey = (orderId: string) =>
	env.DB.prepare(`SELECT event_id, type FROM order_events WHERE order_id = ? ORDER BY time`)
		.bind(orderId)
		.all()
		.then((r) => r.results);

describe("the D1 projection", () => {
	it("ends at the order's latest state whatever order the events arrive in", async () => {
		const { events, final } = lifecycle();
		const [started, queued, making, ready] = events;
		const result = await deliver([ready, making, started, queued]);
		expect(result.explicitAcks).toHaveLength(4);
		expect(await row(final.id)).toMatchObject({
			state: "READY",
			version: 4,
			number: 7,
			barista_name: "Sam",
			drink_id: "latte",
		});
		expect((await journey(final.id)).map((e) => e.type)).toEqual([
			"OrderProcessor.WorkflowStarted",
			"OrderManager.WaitingCompletion",
			"OrderManager.MakeOrder",
			"OrderManager.OrderCompleted",
		]);
	});

	it("keeps one copy of each event when the queue delivers it again", async () => {
		const { events, final } = lifecycle();
		await deliver(events);
		await deliver([events[1], events[3], events[3], events[0]]);
		await deliver(events);
		expect(await journey(final.id)).toHaveLength(4);
		expect(await row(final.id)).toMatchObject({ state: "READY", version: 4 });
	});

	it("does not move an order back when an old event arrives late, in a batch of its own", async () => {
		const { events, final } = lifecycle();
		await deliver([events[3]]);
		await deliver([events[1]]);
		await deliver([events[0]]);
		expect(await row(final.id)).toMatchObject({
			state: "READY",
			version: 4,
			finished_at: Date.parse(final.finishedAt!),
		});
	});

	it("parks a message that is not a catalog event in the dead-letter queue at once", async () => {
		const marker = `junk-${crypto.randomUUID()}`;
		const result = await deliver([{ type: "Nobody.Knows", marker }]);
		expect(result.explicitAcks).toHaveLength(1);
		const dead = await until(() =>
			env.DB.prepare(`SELECT * FROM dead_letters WHERE body LIKE ?`).bind(`%${marker}%`).first<Record<string, any>>(),
		);
		expect(dead.error).toMatch(/bad envelope|unknown event type/);
	});

	it("retries, with backoff, only the events a rule could not handle", async () => {
		const { events } = lifecycle();
		const flaky: Rule = {
			name: "flaky",
			pattern: "OrderManager.MakeOrder",
			handle: async (matching) => new Set(matching.map((e) => e.id)),
		};
		const result = await deliver(events, (batch) => consumeEvents(batch, env, [...rules, flaky]));
		expect(result.explicitAcks).toHaveLength(3);
		// The third message of the batch carried the MakeOrder event.
		expect(result.retryMessages.map((m) => m.msgId)).toEqual([`m-${sequence - 1}`]);
		// The local queue does not report retry delays; the backoff it would get is this.
		expect([1, 2, 3, 8, 20].map((n) => backoffSeconds(n))).toEqual([2, 4, 8, 256, 300]);
	});

	it("rebuilds the store list from ConfigChanged events, newest version winning", async () => {
		const storeId = `proj-${crypto.randomUUID().slice(0, 8)}`;
		const view = (version: number, open: boolean) => ({
			id: storeId,
			name: `Bar v${version}`,
			open,
			paused: false,
			menu: { drinks: [{ id: "tea", name: "Tea", available: true, options: [] }], optionGroups: [] },
			settings: (({ open: _open, paused: _paused, ...rest }) => rest)(Settings.parse({})),
			placedIn: null,
			event: null,
			version,
			updatedAt: new Date(Date.now() + version).toISOString(),
		});
		const e1 = createEvent(
			"ConfigService.ConfigChanged",
			{ storeId, time: Date.now() },
			{ store: view(1, false), changed: ["created"] },
		);
		const e2 = createEvent(
			"ConfigService.ConfigChanged",
			{ storeId, time: Date.now() },
			{ store: view(2, true), changed: ["open"] },
		);
		await deliver([e2, e1]);
		expect(await env.DB.prepare(`SELECT * FROM stores WHERE id = ?`).bind(storeId).first()).toMatchObject({
			name: "Bar v2",
			open: 1,
			version: 2,
		});
	});
});
