import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { walkUpUserId } from "#contract/attendees.ts";
import type { Order } from "#contract/order.ts";
import { act, attendee, call, createStore, currentCode, staff } from "./helpers";
import { expectInvariants } from "./invariants";
import { openSocket } from "./sockets";

/**
 * Walk-ups: someone at the counter without a phone. The barista enters the drink; the order skips the QR
 * code and the daily limit, takes a capacity slot, and is made like any other.
 */

const latte = { drink: "latte", options: { milk: "oat" }, name: "Grace Hopper" };
const walkUp = (storeId: string, token: string, body: unknown = latte) =>
	call<{ order: Order }>("POST", `/api/stores/${storeId}/walk-ups`, { token, body });
const openOrders = (storeId: string) => env.STORE.getByName(storeId).openOrders();

describe("walk-up orders", () => {
	it("queues the drink with its number at once, on the tablets and the board, without using a QR token", async () => {
		const store = await createStore({ maxOrdersPerUserPerDay: 1 });
		const barista = await staff(store.id);
		const tokensBefore = (await currentCode(store.id, barista)).tokensLeft;
		const tablet = await openSocket(`/api/stores/${store.id}/ws`, barista);
		const board = await openSocket(`/api/stores/${store.id}/ws?role=board`);
		await tablet.next((m) => m.type === "snapshot");
		await board.next((m) => m.type === "snapshot");

		const reply = await walkUp(store.id, barista);
		expect(reply.status).toBe(201);
		const order = reply.body.order;
		expect(order).toMatchObject({
			state: "QUEUED",
			number: 1,
			userId: walkUpUserId,
			name: "Grace Hopper",
			drink: { id: "latte" },
		});
		expect(order.options).toContainEqual(expect.objectContaining({ group: "milk", choice: "oat" }));
		expect(
			(await tablet.next((m) => m.type === "order" && m.order.id === order.id && m.order.state === "QUEUED")).order
				.number,
		).toBe(1);
		expect((await board.next((m) => m.type === "ticket")).ticket).toMatchObject({
			number: 1,
			name: "Grace",
			state: "preparing",
		});
		expect((await currentCode(store.id, barista)).tokensLeft).toBe(tokensBefore);
		expect(await openOrders(store.id)).toBe(1);

		// No daily limit: the barista may enter as many as the counter brings, and they are made like any order.
		const second = await walkUp(store.id, barista, { drink: "espresso" });
		expect(second.body.order).toMatchObject({ state: "QUEUED", number: 2, name: null });
		expect((await act(order.id, "claim", barista)).body.order.state).toBe("MAKING");
		expect((await act(order.id, "complete", barista)).body.order.state).toBe("READY");
		await expectInvariants(store.id);
		const row = await env.DB.prepare(`SELECT user_id, state FROM orders WHERE id = ?`).bind(order.id).first();
		expect(row).toEqual({ user_id: walkUpUserId, state: "READY" });
		tablet.socket.close();
		board.socket.close();
	});

	it("takes walk-ups while intake is paused, but never past capacity, however many arrive at once", async () => {
		const store = await createStore({ capacity: 3 });
		const barista = await staff(store.id);
		expect((await call("PATCH", `/api/stores/${store.id}`, { token: barista, body: { paused: true } })).status).toBe(
			200,
		);
		const replies = await Promise.all(Array.from({ length: 12 }, () => walkUp(store.id, barista)));
		expect(replies.filter((r) => r.status === 201)).toHaveLength(3);
		const refused = replies.filter((r) => r.status !== 201);
		expect(refused.every((r) => r.status === 409 && r.body.error.code === "at_capacity")).toBe(true);
		expect(new Set(replies.filter((r) => r.status === 201).map((r) => r.body.order.number))).toEqual(
			new Set([1, 2, 3]),
		);
		expect(await openOrders(store.id)).toBe(3);
		await expectInvariants(store.id);
	});

	it("refuses a closed store, a drink not on the menu or sold out, and changes nothing", async () => {
		const store = await createStore();
		const barista = await staff(store.id);
		const cases: [unknown, number, string][] = [
			[{ drink: "unicorn" }, 400, "invalid_request"],
			[{ drink: "latte", options: { milk: "camel" } }, 400, "invalid_request"],
			[{ drink: "latte", extra: 1 }, 400, "invalid_request"],
			[{ options: {} }, 400, "invalid_request"],
			[{ drink: "latte", name: "x".repeat(500) }, 400, "invalid_request"],
		];
		for (const [body, status, code] of cases) {
			const reply = await walkUp(store.id, barista, body);
			expect([reply.status, reply.body.error?.code], JSON.stringify(body)).toEqual([status, code]);
		}
		await call("PATCH", `/api/stores/${store.id}`, {
			token: barista,
			body: { availability: { choices: { milk: { oat: false } } } },
		});
		const soldOut = await walkUp(store.id, barista);
		expect([soldOut.status, soldOut.body.error.code]).toEqual([409, "sold_out"]);
		await call("PATCH", `/api/stores/${store.id}`, { token: barista, body: { open: false } });
		const closed = await walkUp(store.id, barista, { drink: "espresso" });
		expect([closed.status, closed.body.error.code]).toEqual([409, "store_closed"]);
		expect(await openOrders(store.id)).toBe(0);
		expect((await env.STORE.getByName(store.id).audit()).orders).toEqual([]);
	});

	it("is for the store's staff only", async () => {
		const store = await createStore();
		const other = await createStore();
		const refusals: [string | undefined, number][] = [
			[undefined, 401],
			[(await attendee("Sneaky")).token, 403],
			[await staff(other.id), 403],
		];
		for (const [token, status] of refusals) expect((await walkUp(store.id, token ?? "")).status).toBe(status);
		expect(await openOrders(store.id)).toBe(0);
		// The deployment admin may.
		expect((await walkUp(store.id, env.ADMIN_TOKEN)).status).toBe(201);
	});
});
