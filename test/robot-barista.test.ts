import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { act, admitted, call, createStore, staff, submit } from "./helpers";

describe("the robot barista (demo switch)", () => {
	it("claims and completes queued orders by itself, one drink at a time, until switched off", async () => {
		const store = await createStore();
		const barista = await staff(store.id);
		const switched = await call("PATCH", `/api/stores/${store.id}`, { token: barista, body: { robotBarista: true, robotSecondsPerDrink: 600 } });
		expect(switched.body.settings).toMatchObject({ robotBarista: true, robotSecondsPerDrink: 600 });
		const a = await admitted(store.id, barista);
		const b = await admitted(store.id, barista);
		await submit(a.orderId, a.token);
		await submit(b.orderId, b.token);
		const storeStub = env.STORE.getByName(store.id);
		const stateOf = async (id: string, token: string) => (await call("GET", `/api/orders/${id}`, { token })).body.order;

		await runDurableObjectAlarm(storeStub);
		expect(await stateOf(a.orderId, a.token)).toMatchObject({ state: "MAKING", baristaName: "Robot" });
		expect((await stateOf(b.orderId, b.token)).state).toBe("QUEUED");

		// Its drink takes 600 s: the next alarm is the moment it is done.
		await runDurableObjectAlarm(storeStub);
		expect((await stateOf(a.orderId, a.token)).state).toBe("READY");
		expect(await stateOf(b.orderId, b.token)).toMatchObject({ state: "MAKING", baristaName: "Robot" });

		await call("PATCH", `/api/stores/${store.id}`, { token: barista, body: { robotBarista: false } });
		await runDurableObjectAlarm(storeStub);
		expect((await stateOf(b.orderId, b.token)).state).toBe("MAKING");
		// A person can finish what the robot started.
		expect((await act(b.orderId, "complete", barista)).body.order.state).toBe("READY");
	});
});
