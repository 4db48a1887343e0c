import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { StoreDO } from "../durable-objects/store/store";
import { estimateRemaining, estimateWait, median } from "../durable-objects/store/eta";
import { admitted, createStore, staff, submit } from "./helpers";

describe("wait estimates", () => {
	it("follow the store's history: place × measured wait per place + measured prep time", () => {
		const history = { prepSeconds: [60, 90, 120, 300, 100], waitPerPlaceSeconds: [20, 40, 30] };
		expect(median(history.prepSeconds)).toBe(100);
		expect(estimateWait(1, history)).toBe(130);
		expect(estimateWait(4, history)).toBe(220);
		expect(estimateRemaining(30, history)).toBe(70);
		expect(estimateRemaining(500, history)).toBe(0);
	});

	it("assume a two-minute drink and half a drink of waiting per place before there is any history", () => {
		const none = { prepSeconds: [], waitPerPlaceSeconds: [] };
		expect(estimateWait(1, none)).toBe(180);
		expect(estimateWait(3, none)).toBe(300);
	});

	it("are computed from the drinks this store actually made", async () => {
		const store = await createStore();
		const barista = await staff(store.id);
		// A scripted morning: three drinks, each queued at place 2, claimed 50 s later and ready 80 s after that.
		const now = Date.now();
		await runInDurableObject(env.STORE.getByName(store.id), (_: StoreDO, state) => {
			for (let i = 0; i < 3; i++) {
				const queued = now - 600_000 + i * 10_000;
				state.storage.sql.exec(
					`INSERT INTO orders (order_id, user_id, state, version, number, day, started, created_at, customer_deadline,
					   queued_at, claimed_at, finished_at, position_at_queue)
					 VALUES (?, 'someone', 'READY', 4, ?, '2026-11-27', 1, ?, ?, ?, ?, ?, 2)`,
					crypto.randomUUID(),
					100 + i,
					queued - 5_000,
					queued + 295_000,
					queued,
					queued + 50_000,
					queued + 130_000,
				);
			}
		});
		const first = await admitted(store.id, barista);
		const second = await admitted(store.id, barista);
		// 25 s of waiting per place (50 s at place 2) and 80 s of making.
		expect((await submit(first.orderId, first.token)).body.order).toMatchObject({ position: 1, etaSeconds: 105 });
		expect((await submit(second.orderId, second.token)).body.order).toMatchObject({ position: 2, etaSeconds: 130 });
	});
});
