import { createScheduledController, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Journey } from "#contract/journey.ts";
import type { OrderDO } from "../durable-objects/order/order";
import worker from "../workers/index";
import { act, admitted, attendee, call, createStore, projected, staff, submit } from "./helpers";
import { refusedSocket } from "./sockets";
import { until } from "./until";

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

	it("deletes an order's journey archive once its retention is over, so its share link and journey are gone", async () => {
		const store = await createStore();
		const barista = await staff(store.id);
		const made = async () => {
			const { token, orderId } = await admitted(store.id, barista, "Ada");
			await submit(orderId, token);
			await act(orderId, "cancel", barista);
			// Archived: the journey holds the final event and every version before it.
			await until(async () => (await call<Journey>("GET", `/api/orders/${orderId}/journey`, { token })).body.complete);
			const share = await call("POST", `/api/orders/${orderId}/journey/share`, { token });
			return { token, orderId, link: share.body.token as string };
		};
		const expired = await made();
		const recent = await made();
		const events = async (orderId: string) =>
			(await env.DB.prepare(`SELECT count(*) AS n FROM order_events WHERE order_id = ?`)
				.bind(orderId)
				.first<{ n: number }>())!.n;
		const storeEvents = () =>
			env.DB.prepare(`SELECT count(*) AS n FROM order_events WHERE order_id IS NULL AND store_id = ?`)
				.bind(store.id)
				.first<{ n: number }>();
		const settingsBefore = (await storeEvents())!.n;
		expect(settingsBefore).toBeGreaterThan(0);

		// One order finished eight days ago (a day past its seven): its object cleared, its row and events moved back.
		expect(await runDurableObjectAlarm(env.ORDER.getByName(expired.orderId))).toBe(true);
		const week = 8 * 86_400_000;
		await env.DB.batch([
			env.DB.prepare(`UPDATE orders SET finished_at = finished_at - ?1 WHERE id = ?2`).bind(week, expired.orderId),
			env.DB.prepare(`UPDATE order_events SET time = time - ?1 WHERE order_id = ?2`).bind(week, expired.orderId),
		]);
		await worker.scheduled!(createScheduledController({ cron: "40 3 * * *" }), env);

		expect(await events(expired.orderId)).toBe(0);
		const link = await call("GET", `/api/journeys/${expired.link}`);
		expect([link.status, link.body.error.code]).toEqual([404, "not_found"]);
		const own = await call("GET", `/api/orders/${expired.orderId}/journey`, { token: expired.token });
		expect([own.status, own.body.error.code]).toEqual([404, "not_found"]);
		// History still has the order itself.
		expect((await call("GET", `/api/orders/${expired.orderId}`, { token: expired.token })).status).toBe(200);

		// The order inside its retention, and the store's own events (replay's source), are kept.
		expect(await events(recent.orderId)).toBeGreaterThan(0);
		expect((await call("GET", `/api/journeys/${recent.link}`)).status).toBe(200);
		expect((await storeEvents())!.n).toBe(settingsBefore);
	});
});
