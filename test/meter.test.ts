import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { meterEnv, meterRequest, type MeterReading } from "../workers/meter";
import { act, adminToken, admitted, call, createStore, projected, staff, submit } from "./helpers";
import { until } from "./until";

const reading = async (): Promise<MeterReading> =>
	(await call<MeterReading>("GET", "/api/admin/meter", { token: adminToken })).body;
const reset = () => call("DELETE", "/api/admin/meter", { token: adminToken });

/** Waits until every event written to the queue has been delivered and acknowledged. */
async function drained(): Promise<MeterReading> {
	return until(async () => {
		const now = await reading();
		const written = now.counts["queue.writes.EVENTS"] ?? 0;
		return written > 0 && (now.counts["queue.acks"] ?? 0) >= written ? now : null;
	}, 50);
}

describe("the cost meter", () => {
	it("counts the requests, rows and queue operations one order causes, where they happen", async () => {
		const store = await createStore();
		const barista = await staff(store.id);
		await reset();
		// Requests the test makes: session, qr, scan, submit, claim, complete (reading the meter is not counted).
		const { token, orderId } = await admitted(store.id, barista, "Ada");
		expect((await submit(orderId, token)).status).toBe(200);
		expect((await act(orderId, "claim", barista)).status).toBe(200);
		expect((await act(orderId, "complete", barista)).status).toBe(200);
		await projected(orderId, 4);
		const { counts, totals } = await drained();

		expect(counts["worker.requests"]).toBe(6);
		expect(counts["do.rpc.StoreDO.scan"]).toBe(1);
		expect(counts["do.rpc.OrderDO.start"]).toBe(1);
		expect(counts["do.rpc.OrderDO.submit"]).toBe(1);
		expect(counts["do.rpc.StoreDO.submit"]).toBe(1);
		expect(counts["do.rpc.OrderDO.act"]).toBe(2);
		// The OrderDO reports each change after the first to the store.
		expect(counts["do.rpc.StoreDO.track"]).toBe(3);
		// Staff requests check the store's PIN version: qr, claim, complete.
		expect(counts["do.rpc.StoreDO.pinVersion"]).toBe(3);
		// Five events: NewOrder, WorkflowStarted, WaitingCompletion, MakeOrder, OrderCompleted.
		expect(counts["queue.writes.EVENTS"]).toBe(5);
		expect(totals.queueOps).toBeGreaterThanOrEqual(15);
		// The Durable Objects run in the Worker's isolate here, so their SQLite rows show up in the same reading.
		expect(counts["do.rows_written.StoreDO"]).toBeGreaterThan(0);
		expect(counts["do.rows_written.OrderDO"]).toBeGreaterThan(0);
		expect(counts["do.alarm_writes.OrderDO.set"]).toBeGreaterThan(0);
		expect(counts["d1.rows_written"]).toBeGreaterThan(0);
		expect(totals.doRequests).toBe(
			Object.entries(counts)
				.filter(([key]) => key.startsWith("do.rpc.") || key.startsWith("do.fetch.") || key.startsWith("do.alarms."))
				.reduce((n, [, v]) => n + v, 0) +
				(counts["do.ws_messages.OrderDO"] ?? 0) / 20,
		);
	});

	it("counts alarms and WebSocket connects as Durable Object requests", async () => {
		const store = await createStore();
		const barista = await staff(store.id);
		const { orderId } = await admitted(store.id, barista);
		await reset();
		expect(await runDurableObjectAlarm(env.ORDER.getByName(orderId))).toBe(true);
		const { counts } = await reading();
		expect(counts["do.alarms.OrderDO"]).toBe(1);
		// The customer timer ran out: the order timed out and told the store.
		expect(counts["do.rpc.StoreDO.track"]).toBe(1);
	});

	it("adds nothing, and wraps nothing, when METER is not on", async () => {
		const plain = { METER: "off", DB: env.DB };
		expect(meterEnv(plain)).toBe(plain);
		await reset();
		expect(meterRequest(new Request("https://edgepresso.test/api/health"), plain)).toBe(plain);
		// The queue may still be delivering the events of the test before (the consumer counts those); the
		// request above must not have been counted.
		const counted = Object.keys((await reading()).counts).filter(
			(key) => !key.startsWith("queue.") && !key.startsWith("d1.") && key !== "worker.queue_invocations",
		);
		expect(counted).toEqual([]);
	});
});
