import { describe, expect, it } from "vitest";
import { act, attendee, createStore, currentCode, scan, staff, submit } from "./helpers";
import { expectInvariants } from "./invariants";

/**
 * A keynote ends: thousands of attendees scan at once on a few stores, order, change their minds, and the
 * baristas work through the queue. Nothing oversells, nothing is lost, and the books balance.
 */
describe("a burst of attendees", () => {
	it("keeps every invariant when 3,000 attendees hit three stores at once", async () => {
		// A day-long code window: on a loaded machine signing 3,000 people in can outlast the usual 5 minutes, and a
		// code that ends mid-burst would refuse for the clock's sake, not the store's.
		const settings = { drinksPerCode: 250, capacity: 200, maxOrdersPerUserPerDay: 5, codeWindowSeconds: 86_400 };
		const stores = await Promise.all([0, 1, 2].map(() => createStore(settings)));
		const baristas = await Promise.all(stores.map((s) => staff(s.id)));
		const people = await Promise.all(Array.from({ length: 3000 }, () => attendee()));
		const codes = await Promise.all(stores.map((s, i) => currentCode(s.id, baristas[i]!).then((q) => q.code)));

		const scans = await Promise.all(
			people.map((p, i) => scan(stores[i % 3]!.id, p.token, codes[i % 3]!).then((r) => ({ r, p, s: i % 3 }))),
		);
		const admitted = scans.filter((x) => x.r.status === 201);
		const refusals = new Set(scans.filter((x) => x.r.status !== 201).map((x) => x.r.body.error.code));
		expect([...refusals].every((code) => code === "code_exhausted" || code === "at_capacity")).toBe(true);
		// Capacity (200) is the tighter bound at each store; tokens (250) never oversell.
		for (let s = 0; s < 3; s++) expect(admitted.filter((x) => x.s === s).length).toBe(200);

		// Most order, some cancel, a few let the window run out.
		const submitted = await Promise.all(
			admitted.map(async (x, i) => {
				if (i % 10 === 0) return null;
				if (i % 10 === 1) return (await act(x.r.body.orderId, "cancel", x.p.token)).status === 200 ? null : x;
				return (
					await submit(x.r.body.orderId, x.p.token, { drink: i % 2 ? "latte" : "flat-white", options: { milk: "oat" } })
				).status === 200
					? x
					: null;
			}),
		);
		const queued = submitted.filter((x): x is NonNullable<typeof x> => x !== null);
		expect(queued.length).toBe(admitted.length - Math.ceil(admitted.length / 10) * 2);

		// Baristas claim and complete everything queued, all at once.
		const done = await Promise.all(
			queued.map(async (x) => {
				const barista = baristas[x.s]!;
				await act(x.r.body.orderId, "claim", barista);
				return (await act(x.r.body.orderId, "complete", barista)).body.order?.state;
			}),
		);
		expect(done.every((state) => state === "READY")).toBe(true);
		// Which attendees a store admitted depends on how the race ran, so count what each store had queued.
		for (const [s, store] of stores.entries()) {
			const orders = await expectInvariants(store.id);
			expect(orders).toHaveLength(200);
			expect(orders.filter((o) => o.state === "READY")).toHaveLength(queued.filter((x) => x.s === s).length);
		}
	});
});
