import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { DeadLetter, DeadLetterList, RedriveResult } from "../workers/events/dead-letters";
import worker from "../workers/index";
import { adminToken, call, deadLetters, unmetered } from "./helpers";
import { lifecycle } from "./events";
import { until } from "./until";

/**
 * The dead-letter shelf: what the consumer gave up on is listed for an operator, goes back to the events
 * queue exactly as it first arrived once the cause is fixed, and can be discarded.
 */

let sequence = 0;
/** Puts messages on the shelf the way the queue does once a message ran out of retries. */
async function shelve(bodies: unknown[]): Promise<DeadLetter[]> {
	const ids = bodies.map(() => `dead-${++sequence}-${crypto.randomUUID().slice(0, 8)}`);
	const batch = createMessageBatch(
		"edgepresso-events-dlq",
		bodies.map((body, i) => ({ id: ids[i]!, timestamp: new Date(), attempts: 6, body })),
	);
	const ctx = createExecutionContext();
	await worker.queue(batch, unmetered);
	expect((await getQueueResult(batch, ctx)).ackAll).toBe(true);
	const shelf = await deadLetters();
	return ids.map((id) => shelf.find((row) => row.messageId === id)!);
}

const redrive = (body: Record<string, unknown>) =>
	call<RedriveResult>("POST", "/api/admin/dead-letters/redrive", { token: adminToken, body });

const projectedRow = (orderId: string) =>
	env.DB.prepare(`SELECT state, version FROM orders WHERE id = ?`)
		.bind(orderId)
		.first<{ state: string; version: number }>();

describe("the dead-letter shelf", () => {
	it("lists each dead letter with its event's type and order, page by page", async () => {
		const { events } = lifecycle();
		const junk = { type: "Nobody.Knows", marker: crypto.randomUUID() };
		// A message that never parsed arrives wrapped with its error (the consumer parks it at once).
		const [event, wrapped] = await shelve([events[0], { body: junk, error: "unknown event type Nobody.Knows" }]);
		expect(event).toMatchObject({
			type: "OrderProcessor.WorkflowStarted",
			orderId: events[0]!.orderId,
			error: "retries exhausted",
			replay: false,
			message: events[0],
		});
		expect(wrapped).toMatchObject({
			type: "Nobody.Knows",
			orderId: null,
			error: "unknown event type Nobody.Knows",
			message: junk,
		});
		expect(Date.parse(event!.receivedAt)).toBeGreaterThan(Date.now() - 60_000);

		const first = await call<DeadLetterList>("GET", `/api/admin/dead-letters?after=${event!.id - 1}&limit=1`, {
			token: adminToken,
		});
		expect(first.body.deadLetters.map((row) => row.id)).toEqual([event!.id]);
		expect(first.body.total).toBeGreaterThanOrEqual(2);
		const next = await call<DeadLetterList>("GET", `/api/admin/dead-letters?after=${event!.id}&limit=1`, {
			token: adminToken,
		});
		expect(next.body.deadLetters.map((row) => row.id)).toEqual([wrapped!.id]);
	});

	it("redrives an order's events once the cause is fixed, and the projection catches up", async () => {
		const { events, final } = lifecycle();
		const shelved = await shelve(events);
		expect(await projectedRow(final.id)).toBeNull();

		const reply = await redrive({ ids: shelved.map((row) => row.id) });
		expect(reply.status).toBe(200);
		expect(reply.body).toEqual({ redriven: 4, remaining: 0 });
		const shelf = await deadLetters();
		expect(shelf.filter((row) => row.orderId === final.id)).toEqual([]);
		// The local queue delivers the redriven events to the real consumer, which projects them.
		await until(async () => (await projectedRow(final.id))?.version === 4, 50);
		expect(await projectedRow(final.id)).toEqual({ state: "READY", version: 4 });
		const journey = await env.DB.prepare(`SELECT count(*) AS n FROM order_events WHERE order_id = ?`)
			.bind(final.id)
			.first("n");
		expect(journey).toBe(4);
	});

	it("redrives only what the listing saw, oldest first, and a message that fails again comes back once, unwrapped", async () => {
		const junk = { type: "Still.Unknown", marker: crypto.randomUUID() };
		const { events, final } = lifecycle();
		const [a, b, c] = await shelve([{ body: junk, error: "unknown event type Still.Unknown" }, events[0], events[1]]);
		// `through` stops at b: c stays on the shelf.
		const reply = await redrive({ through: b!.id });
		expect(reply.status).toBe(200);
		expect(reply.body.redriven).toBeGreaterThanOrEqual(2);
		const afterwards = await deadLetters();
		expect(afterwards.some((row) => row.id === a!.id || row.id === b!.id)).toBe(false);
		expect(afterwards.some((row) => row.id === c!.id)).toBe(true);
		await until(async () => (await projectedRow(final.id))?.version === 1, 50);

		// The junk still does not parse: the consumer shelves it again as a new row, carrying the same message.
		const again = await until(async () => {
			const rows = (await deadLetters()).filter(
				(row) => JSON.stringify(row.message).includes(junk.marker) && row.id > c!.id,
			);
			return rows.length > 0 && rows;
		}, 100);
		expect(again).toHaveLength(1);
		expect(again[0]).toMatchObject({ type: "Still.Unknown", message: junk });
	});

	it("discards a dead letter for good", async () => {
		const [row] = await shelve([{ body: { marker: crypto.randomUUID() }, error: "bad envelope" }]);
		const path = `/api/admin/dead-letters/${row!.id}`;
		expect((await call("DELETE", path, { token: adminToken })).status).toBe(204);
		expect((await deadLetters()).some((r) => r.id === row!.id)).toBe(false);
		const twice = await call("DELETE", path, { token: adminToken });
		expect([twice.status, twice.body.error.code]).toEqual([404, "not_found"]);
	});

	it("refuses requests it cannot read, and changes nothing", async () => {
		const [row] = await shelve([{ body: { marker: crypto.randomUUID() }, error: "bad envelope" }]);
		for (const body of [
			{},
			{ ids: [] },
			{ ids: [row!.id], through: row!.id },
			{ ids: ["1"] },
			{ through: -1 },
			{ all: true },
			{ ids: Array.from({ length: 101 }, (_, i) => i + 1) },
		]) {
			const reply = await redrive(body);
			expect([reply.status, reply.body.error?.code], JSON.stringify(body)).toEqual([400, "invalid_request"]);
		}
		for (const id of ["abc", "0", "-3", "1.5", "9".repeat(30)]) {
			const reply = await call("DELETE", `/api/admin/dead-letters/${id}`, { token: adminToken });
			expect([reply.status, reply.body.error?.code], id).toEqual([400, "invalid_request"]);
		}
		for (const query of ["limit=0", "limit=101", "after=-1", "limit=x"]) {
			expect((await call("GET", `/api/admin/dead-letters?${query}`, { token: adminToken })).status, query).toBe(400);
		}
		expect((await deadLetters()).some((r) => r.id === row!.id)).toBe(true);
	});
});
