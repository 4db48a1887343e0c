import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { StoreDO } from "../durable-objects/store";
import { storeSchema } from "../durable-objects/store-schema";
import type { OrderDO } from "../durable-objects/order";
import { orderSchema } from "../durable-objects/order-schema";
import { admitted, createStore, staff, submit } from "./helpers";
import { openSocket } from "./sockets";

describe("Durable Object schema migrations", () => {
	it("bring a store created under an older schema up to date when it next wakes", async () => {
		const store = await createStore();
		const stub = env.STORE.getByName(store.id);
		// Put the store back to the first schema, as an object created before the queue-place and call columns
		// and the abuse tables. (Its building blocks' tables it had from the start.)
		await runInDurableObject(stub, (_: StoreDO, state) => {
			state.storage.sql.exec(`ALTER TABLE orders DROP COLUMN position_at_queue`);
			state.storage.sql.exec(`ALTER TABLE orders DROP COLUMN pushed_position`);
			state.storage.sql.exec(`ALTER TABLE orders DROP COLUMN pushed_eta`);
			state.storage.sql.exec(`ALTER TABLE orders DROP COLUMN called_at`);
			state.storage.sql.exec(`ALTER TABLE redemptions DROP COLUMN returned`);
			state.storage.sql.exec(`DROP TABLE network_redemptions`);
			state.storage.sql.exec(`DELETE FROM schema_migrations WHERE schema = 'store' AND step > 1`);
		});
		await evictDurableObject(stub);

		const barista = await staff(store.id);
		const { token, orderId } = await admitted(store.id, barista);
		expect((await submit(orderId, token)).body.order).toMatchObject({ state: "QUEUED", position: 1 });
		const steps = await runInDurableObject(stub, (_: StoreDO, state) =>
			state.storage.sql.exec<{ step: number }>(`SELECT step FROM schema_migrations WHERE schema = 'store' ORDER BY step`).toArray(),
		);
		expect(steps.map((s) => s.step)).toEqual(storeSchema.map((_, i) => i + 1));
	});

	it("bring an order started before orders had schema steps up to date, keeping its record", async () => {
		const store = await createStore();
		const barista = await staff(store.id);
		const { token, orderId } = await admitted(store.id, barista);
		const stub = env.ORDER.getByName(orderId);
		// As such an order was stored: its building blocks' tables, no schema steps, no live versions yet.
		await runInDurableObject(stub, (_: OrderDO, state) => {
			state.storage.sql.exec(`DROP TABLE schema_migrations`);
			state.storage.sql.exec(`DROP TABLE live_versions`);
		});
		await evictDurableObject(stub);

		const socket = await openSocket(`/api/orders/${orderId}/ws?token=${token}`);
		expect((await socket.next()).order).toMatchObject({ id: orderId, state: "AWAITING_ORDER" });
		expect((await submit(orderId, token)).body.order.state).toBe("QUEUED");
		expect((await socket.next((m) => m.type === "order")).order.state).toBe("QUEUED");
		const steps = await runInDurableObject(stub, (_: OrderDO, state) =>
			state.storage.sql.exec<{ step: number }>(`SELECT step FROM schema_migrations WHERE schema = 'order' ORDER BY step`).toArray(),
		);
		expect(steps.map((s) => s.step)).toEqual(orderSchema.map((_, i) => i + 1));
	});
});
