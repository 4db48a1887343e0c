import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { act, attendee, createStore, currentCode, scan, staff } from "./helpers";

async function attendees(n: number) {
	return Promise.all(Array.from({ length: n }, () => attendee()));
}

describe("under concurrency", () => {
	for (const run of [1, 2, 3]) {
		it(`admits exactly 10 of 1,000 simultaneous scans of a 10-token code (run ${run})`, async () => {
			const store = await createStore({ drinksPerCode: 10, capacity: 1000 });
			const barista = await staff(store.id);
			const people = await attendees(1000);
			const { code } = await currentCode(store.id, barista);

			const replies = await Promise.all(people.map((p) => scan(store.id, p.token, code)));
			const statuses = replies.map((r) => (r.status === 201 ? "admitted" : r.body.error.code));
			const admitted = replies.filter((r) => r.status === 201);
			expect(admitted).toHaveLength(10);
			expect(statuses.filter((s) => s === "code_exhausted")).toHaveLength(990);
			expect(new Set(admitted.map((r) => r.body.orderId)).size).toBe(10);
			expect((await currentCode(store.id, barista)).tokensLeft).toBe(0);
			expect(await env.STORE.getByName(store.id).openOrders()).toBe(10);
		});
	}

	it("never holds more open orders than capacity while scans and cancels race", async () => {
		const capacity = 5;
		const store = await createStore({ drinksPerCode: 1000, capacity });
		const barista = await staff(store.id);
		const { code } = await currentCode(store.id, barista);
		const stub = env.STORE.getByName(store.id);
		let open: { orderId: string; token: string }[] = [];
		let peak = 0;
		let admittedTotal = 0;

		for (let round = 0; round < 10; round++) {
			const people = await attendees(40);
			let racing = true;
			const watcher = (async () => {
				while (racing) peak = Math.max(peak, await stub.openOrders());
			})();
			// This round's scans race the cancels of the orders the last round admitted.
			const [replies, cancels] = await Promise.all([
				Promise.all(people.map((p) => scan(store.id, p.token, code))),
				Promise.all(open.map((o) => act(o.orderId, "cancel", o.token))),
			]);
			racing = false;
			await watcher;

			expect(cancels.every((c) => c.status === 200)).toBe(true);
			expect(replies.every((r) => r.status === 201 || r.body.error.code === "at_capacity")).toBe(true);
			open = replies.flatMap((r, i) =>
				r.status === 201 ? [{ orderId: r.body.orderId, token: people[i]!.token }] : [],
			);
			admittedTotal += open.length;
			expect(open.length).toBeLessThanOrEqual(capacity);
			// Exact accounting: the store's count is the number of orders still open, no more, no less.
			expect(await stub.openOrders()).toBe(open.length);
		}
		expect(peak).toBeLessThanOrEqual(capacity);
		expect(admittedTotal).toBeGreaterThanOrEqual(capacity);
	});
});
