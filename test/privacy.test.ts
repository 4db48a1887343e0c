import {
	createExecutionContext,
	createMessageBatch,
	getQueueResult,
	runDurableObjectAlarm,
	runInDurableObject,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { attendeeDirectory, type AttendeeDirectoryDO } from "../durable-objects/attendees/directory";
import type { OrderDO } from "../durable-objects/order/order";
import type { StoreDO } from "../durable-objects/store/store";
import worker from "../workers/index";
import {
	act,
	admitted,
	attendee,
	call,
	createStore,
	currentCode,
	keyed,
	projected,
	scan,
	staff,
	submit,
	unmetered,
} from "./helpers";
import { expectInvariants } from "./invariants";
import { openSocket } from "./sockets";
import { until } from "./until";

describe("forget me", () => {
	it("removes the attendee from every order, the read model and the archive, and cancels what is not being made", async () => {
		const store = await createStore({ maxOrdersPerUserPerDay: 5 });
		const barista = await staff(store.id);
		const first = await admitted(store.id, barista, "Ada Lovelace");
		await submit(first.orderId, first.token);
		await act(first.orderId, "claim", barista);
		await act(first.orderId, "complete", barista);
		const { code } = await currentCode(store.id, barista);
		await call("PATCH", `/api/stores/${store.id}`, { token: env.ADMIN_TOKEN, body: { drinksPerCode: 10 } });
		const fresh = (await currentCode(store.id, barista)).code;
		expect(fresh).not.toBe(code);
		const second = (await scan(store.id, first.token, fresh)).body.orderId;
		await submit(second, first.token);
		await projected(first.orderId, 4);
		await projected(second, 2);
		await env.DB.prepare(
			`INSERT INTO push_subscriptions (order_id, user_id, endpoint, p256dh, auth, created_at, updated_at) VALUES (?, ?, 'https://push.receiver.test/x', 'k', 'a', 0, 0)`,
		)
			.bind(second, first.userId)
			.run();

		const forgot = await call("DELETE", "/api/me", { token: first.token });
		expect(forgot.status).toBe(200);
		expect(forgot.body.forgotten.orders).toBe(2);
		expect(forgot.headers.get("set-cookie")).toMatch(/^__Host-edgepresso_session=;.*Max-Age=0/);

		// The session no longer reaches the orders; staff still see the drinks, without the person.
		expect((await call("GET", `/api/orders/${first.orderId}`, { token: first.token })).status).toBe(404);
		const done = (await call("GET", `/api/orders/${first.orderId}`, { token: barista })).body.order;
		expect(done).toMatchObject({ state: "READY", number: 1, name: null, userId: "forgotten", drink: { id: "latte" } });
		expect((await call("GET", `/api/orders/${second}`, { token: barista })).body.order).toMatchObject({
			state: "CANCELLED",
			reason: "customer",
			name: null,
			userId: "forgotten",
		});

		const rows = await until(async () => {
			const result = await env.DB.prepare(`SELECT * FROM orders WHERE id IN (?, ?)`)
				.bind(first.orderId, second)
				.all<Record<string, any>>();
			return result.results.every((r) => r.user_id === "forgotten" && r.name === null) ? result.results : null;
		});
		expect(rows).toHaveLength(2);
		const archive = await until(async () => {
			const all = await env.DB.prepare(`SELECT envelope FROM order_events WHERE order_id IN (?, ?)`)
				.bind(first.orderId, second)
				.all<{ envelope: string }>();
			const text = all.results.map((r) => r.envelope).join("\n");
			return text.includes(first.userId) || text.includes("Lovelace") ? null : all.results;
		});
		expect(archive.length).toBeGreaterThanOrEqual(8);
		expect(
			await env.DB.prepare(`SELECT count(*) AS n FROM push_subscriptions WHERE user_id = ?`)
				.bind(first.userId)
				.first("n"),
		).toBe(0);

		const storeRows = await runInDurableObject(env.STORE.getByName(store.id), (_: StoreDO, state) =>
			state.storage.sql
				.exec(`SELECT count(*) AS n FROM orders WHERE user_id = ? OR name IS NOT NULL`, first.userId)
				.one(),
		);
		expect(storeRows.n).toBe(0);
	});

	it("reaches an order placed a moment ago, before D1 knows it: cancelled, the name gone from the tablets and the board, live", async () => {
		const store = await createStore();
		const barista = await staff(store.id);
		const tablet = await openSocket(`/api/stores/${store.id}/ws`, barista);
		const board = await openSocket(`/api/stores/${store.id}/ws`);
		await Promise.all([tablet.next(), board.next()]);
		// The repro: scan, order with a full name, and at once ask to be forgotten; the phone sends its
		// scan and its order with Idempotency-Keys, whose remembered answers name her too.
		const session = await attendee("Gina Private");
		const { code } = await currentCode(store.id, barista);
		const gina = {
			...session,
			orderId: (await keyed("POST", `/api/stores/${store.id}/scans`, session.token, crypto.randomUUID(), { code })).body
				.orderId as string,
		};
		const choice = { drink: "latte", name: "Gina Private" };
		const placed = (await keyed("PUT", `/api/orders/${gina.orderId}`, gina.token, crypto.randomUUID(), choice)).body
			.order;
		expect((await board.next((m) => m.type === "ticket")).ticket.name).toBe("Gina");

		const forgot = await call("DELETE", "/api/me", { token: gina.token });
		expect([forgot.status, forgot.body]).toEqual([200, { forgotten: { orders: 1 } }]);
		expect((await call("GET", `/api/orders/${gina.orderId}`, { token: barista })).body.order).toMatchObject({
			state: "CANCELLED",
			reason: "customer",
			number: placed.number,
			name: null,
			userId: "forgotten",
		});
		// Live: the tablets see the order cancelled and nameless; the board drops the ticket.
		await tablet.next(
			(m) =>
				m.type === "order" && m.order.id === gina.orderId && m.order.name === null && m.order.state === "CANCELLED",
		);
		expect(
			await board.next((m) => m.type === "ticket" && m.number === placed.number && m.ticket === null),
		).toBeTruthy();
		const storeRows = await runInDurableObject(env.STORE.getByName(store.id), (_: StoreDO, state) => {
			const sql = state.storage.sql;
			const rows = ["orders", "redemptions", "idempotency_keys"].flatMap((table) =>
				sql.exec(`SELECT * FROM ${table}`).toArray(),
			);
			return JSON.stringify(rows);
		});
		expect(storeRows).not.toMatch(new RegExp(`Gina|${gina.userId}`));
		const orderRecords = await runInDurableObject(env.ORDER.getByName(gina.orderId), (_: OrderDO, state) =>
			JSON.stringify(state.storage.sql.exec(`SELECT * FROM idempotency_keys`).toArray()),
		);
		expect(orderRecords).not.toMatch(new RegExp(`Gina|${gina.userId}`));
		// D1 and the archive, once the queue drains.
		await until(async () => {
			const rows = await env.DB.prepare(
				`SELECT o.*, e.envelope FROM orders o JOIN order_events e ON e.order_id = o.id WHERE o.id = ?`,
			)
				.bind(gina.orderId)
				.all();
			const text = JSON.stringify(rows.results);
			return rows.results.length >= 4 && !text.includes("Gina") && !text.includes(gina.userId);
		});
		// The books still add up: the redemption counts with the token it used.
		await expectInvariants(store.id, { forgotten: [gina.userId] });

		// Asking again is harmless.
		expect((await call("DELETE", "/api/me", { token: gina.token })).body).toEqual({ forgotten: { orders: 0 } });
		await expectInvariants(store.id, { forgotten: [gina.userId] });
	});

	it("keeps a drink being made, without the name, and lets the barista finish it", async () => {
		const store = await createStore();
		const barista = await staff(store.id);
		const me = await admitted(store.id, barista, "Hedy Lamarr");
		await submit(me.orderId, me.token, { drink: "latte", name: "Hedy Lamarr" });
		await act(me.orderId, "claim", barista);
		expect((await call("DELETE", "/api/me", { token: me.token })).body).toEqual({ forgotten: { orders: 1 } });
		expect((await act(me.orderId, "complete", barista)).body.order).toMatchObject({
			state: "READY",
			name: null,
			userId: "forgotten",
		});
		await expectInvariants(store.id, { forgotten: [me.userId] });
	});

	it("records each admission in the attendee directory before the scan answers, and lets it go once the store no longer holds the orders", async () => {
		const store = await createStore();
		const barista = await staff(store.id);
		const me = await admitted(store.id, barista);
		const directory = attendeeDirectory(env, me.userId);
		expect(await directory.storesOf(me.userId)).toEqual([store.id]);
		// Three days on (a store keeps finished orders two), the daily prune drops the row.
		await runInDurableObject(directory, (_: AttendeeDirectoryDO, state) => {
			state.storage.sql.exec(
				`UPDATE attendee_stores SET admitted_at = admitted_at - ? WHERE user_id = ?`,
				3 * 86_400_000 + 1000,
				me.userId,
			);
		});
		await runDurableObjectAlarm(directory);
		expect(await directory.storesOf(me.userId)).toEqual([]);
	});

	it("scrubs an event about a forgotten attendee that was still in the queue", async () => {
		const store = await createStore();
		const barista = await staff(store.id);
		const me = await admitted(store.id, barista, "Grace Hopper");
		await submit(me.orderId, me.token);
		await projected(me.orderId, 2);
		const queued = (await env.DB.prepare(
			`SELECT envelope FROM order_events WHERE order_id = ? AND type = 'OrderManager.WaitingCompletion'`,
		)
			.bind(me.orderId)
			.first<{ envelope: string }>())!;
		await call("DELETE", "/api/me", { token: me.token });
		await until(() => env.DB.prepare(`SELECT 1 FROM forgotten_users WHERE user_id = ?`).bind(me.userId).first());

		// The same event delivered again, late, as a new id: it must not bring the name back.
		const late = { ...JSON.parse(queued.envelope), id: crypto.randomUUID() };
		late.detail.order.version = 99;
		const batch = createMessageBatch("edgepresso-events", [
			{ id: "late", timestamp: new Date(), attempts: 1, body: late },
		]);
		const ctx = createExecutionContext();
		await worker.queue(batch, unmetered);
		await getQueueResult(batch, ctx);
		const row = await env.DB.prepare(`SELECT * FROM orders WHERE id = ?`).bind(me.orderId).first<Record<string, any>>();
		expect(row).toMatchObject({ version: 99, user_id: "forgotten", name: null });
		const archived = await env.DB.prepare(`SELECT envelope FROM order_events WHERE event_id = ?`)
			.bind(late.id)
			.first<{ envelope: string }>();
		expect(archived!.envelope).not.toContain("Grace");
	});

	it("shows the public board a first name at most", async () => {
		const store = await createStore();
		const barista = await staff(store.id);
		const board = await openSocket(`/api/stores/${store.id}/ws`);
		await board.next();
		const me = await admitted(store.id, barista, "Ada King, Countess of Lovelace");
		await submit(me.orderId, me.token);
		const ticket = await board.next((m) => m.type === "ticket");
		expect(ticket.ticket.name).toBe("Ada");
		expect(JSON.stringify(board.messages)).not.toMatch(/King|Countess|Lovelace/);
	});
});
