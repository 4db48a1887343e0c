import { createEvent, type EdgeEvent } from "#contract/events.ts";
import type { Order } from "#contract/order.ts";

export type Snapshot = Omit<Order, "position" | "etaSeconds">;

/** The events of one order's life, as an OrderDO would emit them, v1 → v4 (READY). */
export function lifecycle(): { events: EdgeEvent[]; final: Snapshot } {
	const storeId = `proj-${crypto.randomUUID().slice(0, 8)}`;
	const id = crypto.randomUUID();
	const t0 = Date.parse("2026-11-27T09:00:00Z");
	const at = (s: number) => new Date(t0 + s * 1000).toISOString();
	const v1: Snapshot = {
		id,
		storeId,
		number: null,
		state: "AWAITING_ORDER",
		drink: null,
		options: [],
		name: "Grace",
		userId: "user-1",
		baristaId: null,
		baristaName: null,
		reason: null,
		version: 1,
		createdAt: at(0),
		updatedAt: at(0),
		expiresAt: at(300),
		queuedAt: null,
		claimedAt: null,
		finishedAt: null,
	};
	const v2: Snapshot = {
		...v1,
		version: 2,
		state: "QUEUED",
		number: 7,
		drink: { id: "latte", name: "Latte" },
		options: [{ group: "milk", choice: "oat", label: "Oat" }],
		queuedAt: at(30),
		updatedAt: at(30),
		expiresAt: at(930),
	};
	const v3: Snapshot = {
		...v2,
		version: 3,
		state: "MAKING",
		baristaId: "b-1",
		baristaName: "Sam",
		claimedAt: at(90),
		updatedAt: at(90),
	};
	const v4: Snapshot = { ...v3, version: 4, state: "READY", finishedAt: at(200), updatedAt: at(200), expiresAt: null };
	const ids = { storeId, orderId: id };
	const events: EdgeEvent[] = [
		createEvent("OrderProcessor.WorkflowStarted", { ...ids, time: t0 }, { order: v1 }),
		createEvent("OrderManager.WaitingCompletion", { ...ids, time: t0 + 30_000 }, { order: v2 }),
		createEvent("OrderManager.MakeOrder", { ...ids, time: t0 + 90_000 }, { order: v3 }),
		createEvent("OrderManager.OrderCompleted", { ...ids, time: t0 + 200_000 }, { order: v4 }),
	];
	return { events, final: v4 };
}
