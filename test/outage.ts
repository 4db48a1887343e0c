import { runInDurableObject } from "cloudflare:test";
import type { OrderDO } from "../durable-objects/order/order";
import type { StoreDO } from "../durable-objects/store/store";

type WithEnv = { env: Env };

/**
 * Gives a live Durable Object an env whose `name` binding fails, the way an outage would (or, with `hang`,
 * never answers), and returns the undo. Only this object's view changes: the Worker and every other object
 * keep the real bindings.
 */
export async function breakBinding(
	stub: DurableObjectStub<OrderDO> | DurableObjectStub<StoreDO>,
	name: "STORE" | "ORDER" | "EVENTS" | "ATTENDEES",
	how: "fail" | "hang" = "fail",
): Promise<() => Promise<void>> {
	let original: Env | undefined;
	await runInDurableObject(stub as DurableObjectStub<OrderDO>, (instance: OrderDO) => {
		const object = instance as unknown as WithEnv;
		original = object.env;
		const refuse = () => (how === "hang" ? new Promise<never>(() => {}) : Promise.reject(new Error(`${name} is down`)));
		// Every method of every object behind the binding refuses.
		const broken =
			name === "EVENTS"
				? { sendBatch: refuse, send: refuse }
				: { getByName: () => new Proxy({}, { get: () => refuse }) };
		object.env = { ...original, [name]: broken } as Env;
	});
	return () =>
		runInDurableObject(stub as DurableObjectStub<OrderDO>, (instance: OrderDO) => {
			(instance as unknown as WithEnv).env = original!;
		});
}
