import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { OrderDO } from "../durable-objects/order";
import { act, admitted, call, createStore, projected, staff, submit } from "./helpers";

type WithEnv = { env: Env };

/**
 * Gives a live Durable Object an env whose `name` binding fails, the way an outage would, and returns the
 * undo. Only this object's view changes: the Worker and every other object keep the real bindings.
 */
async function breakBinding(stub: DurableObjectStub<OrderDO>, name: "STORE" | "EVENTS"): Promise<() => Promise<void>> {
	let original: Env | undefined;
	await runInDurableObject(stub, (instance: OrderDO) => {
		const object = instance as unknown as WithEnv;
		original = object.env;
		const refuse = () => Promise.reject(new Error(`${name} is down`));
		const broken = name === "STORE" ? { getByName: () => ({ track: refuse, submit: refuse }) } : { sendBatch: refuse, send: refuse };
		object.env = { ...original, [name]: broken } as Env;
	});
	return () =>
		runInDurableObject(stub, (instance: OrderDO) => {
			(instance as unknown as WithEnv).env = original!;
		});
}

describe("when a part is down", () => {
	it("frees the capacity slot from the alarm when the store could not be told at first", async () => {
		const store = await createStore();
		const barista = await staff(store.id);
		const { token, orderId } = await admitted(store.id, barista);
		await submit(orderId, token);
		const stub = env.ORDER.getByName(orderId);
		const restore = await breakBinding(stub, "STORE");

		expect((await act(orderId, "cancel", token)).body.order.state).toBe("CANCELLED");
		expect(await env.STORE.getByName(store.id).openOrders()).toBe(1);

		await restore();
		await runDurableObjectAlarm(stub);
		expect(await env.STORE.getByName(store.id).openOrders()).toBe(0);
	});

	it("keeps events in the outbox while the queue refuses them, and sends them from the alarm", async () => {
		const store = await createStore();
		const barista = await staff(store.id);
		const { token, orderId } = await admitted(store.id, barista);
		await projected(orderId, 1);
		const stub = env.ORDER.getByName(orderId);
		const restore = await breakBinding(stub, "EVENTS");

		expect((await submit(orderId, token)).body.order.state).toBe("QUEUED");
		await new Promise((resolve) => setTimeout(resolve, 300));
		const row = await env.DB.prepare(`SELECT version FROM orders WHERE id = ?`).bind(orderId).first<{ version: number }>();
		expect(row!.version).toBe(1);

		await restore();
		await runDurableObjectAlarm(stub);
		expect(await projected(orderId, 2)).toMatchObject({ state: "QUEUED", number: 1 });
		expect((await call("GET", `/api/orders/${orderId}`, { token })).body.order.state).toBe("QUEUED");
	});
});
