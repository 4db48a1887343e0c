import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { StoreDO } from "../durable-objects/store/store";
import { storeSchema } from "../durable-objects/store/schema";
import type { OrderDO } from "../durable-objects/order/order";
import { orderSchema } from "../durable-objects/order/schema";
import { admitted, createStore, keyed, staff, submit } from "./helpers";
import { openSocket } from "./sockets";

/** An object's tables and indexes, each with its columns: what its schema steps made of it. */
function layout(stub: DurableObjectStub<StoreDO> | DurableObjectStub<OrderDO>): Promise<Record<string, string[]>> {
	return runInDurableObject(stub, (_: unknown, state) => {
		const sql = state.storage.sql;
		const names = sql
			.exec<{ name: string }>(
				`SELECT name FROM sqlite_master WHERE name NOT LIKE '\\_cf\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name`,
			)
			.toArray();
		return Object.fromEntries(
			names.map(({ name }) => [
				name,
				sql
					.exec<{ name: string }>(`SELECT name FROM pragma_table_info(?) ORDER BY cid`, name)
					.toArray()
					.map((c) => c.name),
			]),
		);
	});
}

function stepsDone(stub: DurableObjectStub<StoreDO> | DurableObjectStub<OrderDO>, schema: string): Promise<number[]> {
	return runInDurableObject(stub, (_: unknown, state) =>
		state.storage.sql
			.exec<{ step: number }>(`SELECT step FROM schema_migrations WHERE schema = ? ORDER BY step`, schema)
			.toArray()
			.map((s) => s.step),
	);
}

describe("Durable Object schema migrations", () => {
	it("bring a store created under its first schema up to date when it next wakes, every step in order", async () => {
		const fresh = await createStore();
		const store = await createStore();
		const stub = env.STORE.getByName(store.id);
		// Put the store back to the first schema, as an object created before the queue-place and call columns,
		// the per-client PIN locks and display pairings, the abuse tables, the idempotency records and the venue
		// events' columns. (Its
		// building blocks' tables it had from the start.)
		await runInDurableObject(stub, (_: StoreDO, state) => {
			const sql = state.storage.sql;
			for (const column of ["position_at_queue", "pushed_position", "pushed_eta", "called_at", "event_id"])
				sql.exec(`ALTER TABLE orders DROP COLUMN ${column}`);
			sql.exec(`ALTER TABLE redemptions DROP COLUMN returned`);
			for (const table of [
				"pin_failures",
				"pin_devices",
				"display_pairings",
				"network_redemptions",
				"idempotency_keys",
				"event_releases",
			])
				sql.exec(`DROP TABLE ${table}`);
			sql.exec(`DELETE FROM schema_migrations WHERE schema = 'store' AND step > 1`);
		});
		await evictDurableObject(stub);

		// Every step's tables at work: a sign-in (PIN locks), an admission and a submit (queue places), a keyed change.
		const barista = await staff(store.id);
		const { token, orderId } = await admitted(store.id, barista);
		expect((await submit(orderId, token)).body.order).toMatchObject({ state: "QUEUED", position: 1 });
		const key = crypto.randomUUID();
		expect((await keyed("PATCH", `/api/stores/${store.id}`, barista, key, { paused: true })).status).toBe(200);
		expect(
			(await keyed("PATCH", `/api/stores/${store.id}`, barista, key, { paused: true })).headers.get(
				"idempotent-replayed",
			),
		).toBe("true");

		expect(await stepsDone(stub, "store")).toEqual(storeSchema.map((_, i) => i + 1));
		const migrated = await layout(stub);
		expect(migrated).toEqual(await layout(env.STORE.getByName(fresh.id)));
		expect(migrated).not.toHaveProperty("pin_attempts");
	});

	it("bring an order started before orders had schema steps up to date, keeping its record", async () => {
		const store = await createStore();
		const barista = await staff(store.id);
		const fresh = await admitted(store.id, barista);
		const { token, orderId } = await admitted(store.id, barista);
		const stub = env.ORDER.getByName(orderId);
		// As such an order was stored: its building blocks' tables, no schema steps, no live versions or
		// idempotency records yet.
		await runInDurableObject(stub, (_: OrderDO, state) => {
			for (const table of ["schema_migrations", "live_versions", "idempotency_keys"])
				state.storage.sql.exec(`DROP TABLE ${table}`);
		});
		await evictDurableObject(stub);

		const socket = await openSocket(`/api/orders/${orderId}/ws`, token);
		expect((await socket.next()).order).toMatchObject({ id: orderId, state: "AWAITING_ORDER" });
		const key = crypto.randomUUID();
		const body = { drink: "latte", options: { milk: "oat" } };
		expect((await keyed("PUT", `/api/orders/${orderId}`, token, key, body)).body.order.state).toBe("QUEUED");
		expect((await keyed("PUT", `/api/orders/${orderId}`, token, key, body)).headers.get("idempotent-replayed")).toBe(
			"true",
		);
		expect((await socket.next((m) => m.type === "order")).order.state).toBe("QUEUED");
		expect(await stepsDone(stub, "order")).toEqual(orderSchema.map((_, i) => i + 1));
		expect(await layout(stub)).toEqual(await layout(env.ORDER.getByName(fresh.orderId)));
	});
});
