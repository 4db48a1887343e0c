import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { act, admitted, createStore, projected, staff, submit } from "./helpers";

describe("an order from scan to READY", () => {
	it("takes a latte from QR scan to READY, with its journey in D1", async () => {
		const store = await createStore();
		const barista = await staff(store.id);
		const { token, orderId } = await admitted(store.id, barista, "Ada Lovelace");

		const submitted = await submit(orderId, token, { drink: "latte", options: { milk: "oat", syrup: ["vanilla"] } });
		expect(submitted.status).toBe(200);
		expect(submitted.body.order).toMatchObject({
			state: "QUEUED",
			number: 1,
			drink: { id: "latte", name: "Latte" },
			name: "Ada Lovelace",
		});
		expect(submitted.body.order.options).toContainEqual({ group: "milk", choice: "oat", label: "Oat" });
		expect(submitted.body.order.options).toContainEqual({ group: "size", choice: "regular", label: "Regular" });

		expect((await act(orderId, "claim", barista)).body.order).toMatchObject({ state: "MAKING", baristaName: "Sam" });
		const ready = await act(orderId, "complete", barista);
		expect(ready.status).toBe(200);
		expect(ready.body.order).toMatchObject({ state: "READY", version: 4, expiresAt: null });

		const row = await projected(orderId, 4);
		expect(row).toMatchObject({ state: "READY", number: 1, drink_id: "latte", store_id: store.id });
		const journey = await env.DB.prepare(`SELECT type FROM order_events WHERE order_id = ? ORDER BY order_version`)
			.bind(orderId)
			.all();
		expect(journey.results.map((r) => r.type)).toEqual([
			"Validator.NewOrder",
			"OrderProcessor.WorkflowStarted",
			"OrderManager.WaitingCompletion",
			"OrderManager.MakeOrder",
			"OrderManager.OrderCompleted",
		]);
	});
});
