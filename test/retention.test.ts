import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { OrderDO } from "../durable-objects/order/order";
import { act, admitted, attendee, call, createStore, projected, staff, submit } from "./helpers";
import { refusedSocket } from "./sockets";

const tables = (orderId: string) =>
	runInDurableObject(env.ORDER.getByName(orderId), (_: OrderDO, state) =>
		state.storage.sql
			.exec<{ name: string }>(
				`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite%'`,
			)
			.toArray(),
	);

describe("retention of finished orders", () => {
	it("clears a finished order's storage after the retention period, once D1 holds it, and answers from D1", async () => {
		const store = await createStore();
		const barista = await staff(store.id);
		const { token, orderId } = await admitted(store.id, barista, "Ada");
		await submit(orderId, token);
		await act(orderId, "claim", barista);
		await act(orderId, "complete", barista);
		await projected(orderId, 4);

		// The retention timer is the order's only timer once it is finished.
		expect(await runDurableObjectAlarm(env.ORDER.getByName(orderId))).toBe(true);
		const record = await runInDurableObject(env.ORDER.getByName(orderId), (_: OrderDO, state) =>
			state.storage.sql.exec(`SELECT count(*) AS n FROM sqlite_master WHERE name = 'order_record'`).one(),
		);
		expect(record.n).toBe(0);
		expect(await tables(orderId)).toEqual([]);

		// A week on: the read model answers for the order.
		await env.DB.prepare(`UPDATE orders SET finished_at = finished_at - ? WHERE id = ?`)
			.bind(8 * 86_400_000, orderId)
			.run();
		const mine = await call("GET", `/api/orders/${orderId}`, { token });
		expect(mine.body.order).toMatchObject({ id: orderId, state: "READY", number: 1, name: "Ada" });
		expect((await call("GET", `/api/orders/${orderId}`, { token: barista })).status).toBe(200);
		expect((await call("GET", `/api/orders/${orderId}`, { token: (await attendee()).token })).status).toBe(404);
		expect((await refusedSocket(`/api/orders/${orderId}/ws`, token)).status).toBe(404);
	});

	it("keeps the order while D1 does not hold its final version yet", async () => {
		const store = await createStore();
		const barista = await staff(store.id);
		const { token, orderId } = await admitted(store.id, barista);
		await act(orderId, "cancel", token);
		await projected(orderId, 2);
		// Make the read model lag behind, as if the last event were still in the queue.
		await env.DB.prepare(`UPDATE orders SET version = 1 WHERE id = ?`).bind(orderId).run();
		await runDurableObjectAlarm(env.ORDER.getByName(orderId));
		expect((await call("GET", `/api/orders/${orderId}`, { token })).body.order).toMatchObject({
			state: "CANCELLED",
			version: 2,
		});
		expect((await tables(orderId)).length).toBeGreaterThan(0);
	});
});
