import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { act, admitted, call, createStore, staff, submit } from "./helpers";

describe("the robot barista (demo switch)", () => {
	it("claims and completes queued orders by itself, one drink at a time, until switched off", async () => {
		const store = await createStore();
		const barista = await staff(store.id);
		const switched = await call("PATCH", `/api/stores/${store.id}`, {
			token: barista,
			body: { robotBarista: true, robotSecondsPerDrink: 600 },
		});
		expect(switched.body.settings).toMatchObject({ robotBarista: true, robotSecondsPerDrink: 600 });
		const a = await admitted(store.id, barista);
		const b = await admitted(store.id, barista);
		await submit(a.orderId, a.token);
		await submit(b.orderId, b.token);
		const storeStub = env.STORE.getByName(store.id);
		const stateOf = async (id: string, token: string) => (await call("GET", `/api/orders/${id}`, { token })).body.order;
		/** Runs the store's timers (the robot shares the alarm with others) until the robot has moved `id` to `state`. */
		const untilRobot = async (id: string, token: string, state: string) => {
			for (let i = 0; i < 5 && (await stateOf(id, token)).state !== state; i++) await runDurableObjectAlarm(storeStub);
			expect(await stateOf(id, token)).toMatchObject({ state, baristaName: "Robot" });
		};

		await untilRobot(a.orderId, a.token, "MAKING");
		expect((await stateOf(b.orderId, b.token)).state).toBe("QUEUED");

		// Its drink takes 600 s: it is done only when that timer comes; then it takes the next order.
		await untilRobot(a.orderId, a.token, "READY");
		await untilRobot(b.orderId, b.token, "MAKING");

		await call("PATCH", `/api/stores/${store.id}`, { token: barista, body: { robotBarista: false } });
		await runDurableObjectAlarm(storeStub);
		expect((await stateOf(b.orderId, b.token)).state).toBe("MAKING");
		// A person can finish what the robot started.
		expect((await act(b.orderId, "complete", barista)).body.order.state).toBe("READY");
	});
});
