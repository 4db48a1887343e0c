import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { reminderGapMs } from "#contract/live.ts";
import type { Order } from "#contract/order.ts";
import { act, adminPin, admitted, call, createStore, staff, submit } from "./helpers";
import { expectInvariants } from "./invariants";
import { openSocket } from "./sockets";
import { until } from "./until";

/**
 * A drink nobody collects: the barista calls the attendee again, at most once a minute. The order stays
 * READY; the phone and every tablet see the call live, and D1 keeps it.
 */

async function readyOrder() {
	const store = await createStore();
	const barista = await staff(store.id);
	const me = await admitted(store.id, barista, "Ada");
	await submit(me.orderId, me.token);
	await act(me.orderId, "claim", barista);
	const ready = (await act(me.orderId, "complete", barista)).body.order as Order;
	return { store, barista, ...me, ready };
}

const remind = (orderId: string, token: string) =>
	call<{ order: Order }>("POST", `/api/orders/${orderId}/remind`, { token });

/** Moves the order's last call back in time, as if the minute had passed. */
async function ageLastCall(orderId: string, byMs: number): Promise<void> {
	const stub = env.ORDER.getByName(orderId);
	await runInDurableObject(stub, (_instance, state) => {
		const row = state.storage.sql.exec<{ data: string }>(`SELECT data FROM order_record`).one();
		const record = JSON.parse(row.data) as { order: Order };
		record.order.remindedAt = new Date(Date.parse(record.order.remindedAt!) - byMs).toISOString();
		state.storage.sql.exec(`UPDATE order_record SET data = ?`, JSON.stringify(record));
	});
	await evictDurableObject(stub);
}

describe("calling an attendee to collect a ready drink", () => {
	it("keeps the order READY, counts the call, and shows it on the phone and the tablets at once", async () => {
		const { store, barista, token, orderId, ready } = await readyOrder();
		const phone = await openSocket(`/api/orders/${orderId}/ws`, token);
		const tablet = await openSocket(`/api/stores/${store.id}/ws`, barista);
		const board = await openSocket(`/api/stores/${store.id}/ws?role=board`);
		const boardSnapshot = await board.next((m) => m.type === "snapshot");
		expect(boardSnapshot.board.tickets.find((t: { number: number }) => t.number === ready.number)).toMatchObject({
			state: "ready",
			calledAt: null,
		});
		const phoneSnapshot = await phone.next((m) => m.type === "snapshot");
		const tabletSnapshot = await tablet.next((m) => m.type === "snapshot");
		expect(phoneSnapshot.order.reminders).toBeUndefined();

		const reply = await remind(orderId, barista);
		expect(reply.status).toBe(200);
		const called = reply.body.order;
		expect(called).toMatchObject({
			state: "READY",
			reminders: 1,
			version: ready.version + 1,
			finishedAt: ready.finishedAt,
		});
		expect(Date.parse(called.remindedAt!)).toBeGreaterThan(Date.now() - 10_000);

		const onPhone = await phone.next((m) => m.type === "order");
		expect(onPhone).toMatchObject({
			version: phoneSnapshot.version + 1,
			order: { reminders: 1, version: called.version },
		});
		const onTablet = await tablet.next((m) => m.type === "order" && m.order.id === orderId);
		expect(onTablet.version).toBeGreaterThan(tabletSnapshot.version);
		expect(onTablet.order).toMatchObject({ reminders: 1, remindedAt: called.remindedAt });
		// The public board makes the ticket stand out: same ticket, with when it was called for.
		const onBoard = await board.next((m) => m.type === "ticket" && m.number === ready.number);
		expect(onBoard.ticket).toEqual({
			number: ready.number,
			name: "Ada",
			state: "ready",
			readyAt: ready.finishedAt,
			calledAt: called.remindedAt,
		});
		// A tablet that opens later has the call in its snapshot.
		const late = await openSocket(`/api/stores/${store.id}/ws`, barista);
		const snapshot = await late.next((m) => m.type === "snapshot");
		expect(snapshot.view.orders.find((o: Order) => o.id === orderId)).toMatchObject({ reminders: 1 });

		// The event reaches the archive, and D1 converges to the new version.
		await until(() =>
			env.DB.prepare(`SELECT 1 FROM order_events WHERE order_id = ? AND type = 'OrderManager.CustomerReminded'`)
				.bind(orderId)
				.first(),
		);
		await expectInvariants(store.id);
		const lateBoard = await openSocket(`/api/stores/${store.id}/ws?role=board`);
		const boardAgain = await lateBoard.next((m) => m.type === "snapshot");
		expect(boardAgain.board.tickets.find((t: { number: number }) => t.number === ready.number).calledAt).toBe(
			called.remindedAt,
		);
		for (const socket of [phone, tablet, board, late, lateBoard]) socket.socket.close();
	});

	it("calls at most once a minute, saying when the next call may go out", async () => {
		const { barista, orderId, store } = await readyOrder();
		expect((await remind(orderId, barista)).status).toBe(200);
		const again = await remind(orderId, barista);
		expect([again.status, again.body.error.code]).toEqual([429, "rate_limited"]);
		expect(again.body.error.details.retryAfterSeconds).toBeGreaterThan(50);
		expect(again.body.error.details.retryAfterSeconds).toBeLessThanOrEqual(reminderGapMs / 1000);
		expect(again.headers.get("retry-after")).toBe(String(again.body.error.details.retryAfterSeconds));
		expect((await call("GET", `/api/orders/${orderId}`, { token: barista })).body.order.reminders).toBe(1);

		await ageLastCall(orderId, reminderGapMs);
		const second = await remind(orderId, barista);
		expect(second.status).toBe(200);
		expect(second.body.order.reminders).toBe(2);
		// An admin of the store may call too.
		await ageLastCall(orderId, reminderGapMs);
		expect((await remind(orderId, await staff(store.id, adminPin))).body.order.reminders).toBe(3);
	});

	it("refuses a call for a drink that is not ready, and from anyone but the store's staff", async () => {
		const store = await createStore();
		const barista = await staff(store.id);
		const waiting = await admitted(store.id, barista);
		const refused = await remind(waiting.orderId, barista);
		expect([refused.status, refused.body.error.code, refused.body.error.details]).toEqual([
			409,
			"illegal_transition",
			{ state: "AWAITING_ORDER" },
		]);
		await submit(waiting.orderId, waiting.token);
		expect((await remind(waiting.orderId, barista)).body.error.message).toContain("QUEUED");
		await act(waiting.orderId, "cancel", waiting.token);
		expect((await remind(waiting.orderId, barista)).body.error.details).toEqual({ state: "CANCELLED" });

		const { orderId, token, ready } = await readyOrder();
		const byOwner = await remind(orderId, token);
		expect([byOwner.status, byOwner.body.error.code]).toEqual([403, "forbidden"]);
		const otherStore = await staff((await createStore()).id);
		expect((await remind(orderId, otherStore)).status).toBe(404);
		expect((await remind(orderId, "")).status).toBe(401);
		// Nothing changed.
		expect((await call("GET", `/api/orders/${orderId}`, { token })).body.order).toMatchObject({
			version: ready.version,
			state: "READY",
		});
		await expectInvariants(store.id);
	});
});
