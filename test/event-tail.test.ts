import { describe, expect, it } from "vitest";
import { tailAccepts } from "#contract/tail.ts";
import { act, adminToken, admitted, call, createStore, staff, submit } from "./helpers";
import { openSocket, refusedSocket, type TestSocket } from "./sockets";

const tail = (query: string) => openSocket(`/api/admin/events/ws?${query}`, adminToken);

/**
 * The events a tailer has received so far, in order, once each: delivery is at least once, and a batch the
 * consumer retries reaches the tail again.
 */
const typesSeen = (socket: TestSocket) => {
	const seen = new Map<string, string>();
	for (const m of socket.messages.filter((m) => m.type === "events")) {
		for (const e of m.events as { id: string; type: string; storeId: string }[])
			seen.set(e.id, `${e.storeId} ${e.type}`);
	}
	return [...seen.values()];
};

describe("the event tail", () => {
	it("filters by store and by type pattern", () => {
		const event = { storeId: "bar", type: "OrderManager.MakeOrder" } as const;
		expect(tailAccepts({ store: null, types: ["*"] }, event)).toBe(true);
		expect(tailAccepts({ store: "bar", types: ["OrderManager.*"] }, event)).toBe(true);
		expect(tailAccepts({ store: "other", types: ["*"] }, event)).toBe(false);
		expect(tailAccepts({ store: null, types: ["OrderProcessor.*", "Validator.NewOrder"] }, event)).toBe(false);
		expect(tailAccepts({ store: null, types: ["Validator.NewOrder", "OrderManager.MakeOrder"] }, event)).toBe(true);
	});

	it("streams each tailer the live events its filter accepts", async () => {
		const store = await createStore();
		const other = await createStore();
		const barista = await staff(store.id);
		const managers = await tail(`store=${store.id}&type=OrderManager.*`);
		const admissions = await tail(`type=Validator.NewOrder`);
		const elsewhere = await tail(`store=${other.id}`);
		const hello = await managers.next((m) => m.type === "hello");
		expect(hello.filter).toEqual({ store: store.id, types: ["OrderManager.*"] });

		const { token, orderId } = await admitted(store.id, barista);
		await submit(orderId, token);
		await act(orderId, "claim", barista);
		await act(orderId, "complete", barista);

		await managers.next(
			(m) => m.type === "events" && m.events.some((e: { type: string }) => e.type === "OrderManager.OrderCompleted"),
		);
		expect(typesSeen(managers)).toEqual([
			`${store.id} OrderManager.WaitingCompletion`,
			`${store.id} OrderManager.MakeOrder`,
			`${store.id} OrderManager.OrderCompleted`,
		]);
		await admissions.next(
			(m) => m.type === "events" && m.events.some((e: { orderId: string }) => e.orderId === orderId),
		);
		expect(typesSeen(admissions)).toContain(`${store.id} Validator.NewOrder`);
		expect(typesSeen(admissions).every((line) => line.endsWith("Validator.NewOrder"))).toBe(true);
		// Only the other store's own events (its creation may still be on its way): nothing of this order.
		expect(typesSeen(elsewhere).filter((line) => !line.startsWith(`${other.id} `))).toEqual([]);
	});

	it("is for the deployment's admin only, and says what is wrong with a filter", async () => {
		const store = await createStore();
		const barista = await staff(store.id);
		expect((await refusedSocket(`/api/admin/events/ws`)).status).toBe(401);
		expect((await refusedSocket(`/api/admin/events/ws`, barista)).status).toBe(403);
		const bad = await refusedSocket(`/api/admin/events/ws?type=Order%20Manager`, adminToken);
		expect(bad.status).toBe(400);
		expect(bad.body.error.message).toMatch(/Order Manager/);
		expect((await call("GET", `/api/admin/events/ws`, { token: adminToken })).status).toBe(426);
	});
});
