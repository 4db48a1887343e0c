import type { Order } from "#contract/order.ts";

/**
 * The barista's board: Queued → Making → Ready, as the original tablet had it (Preview → Production →
 * Pickup), with the same age colours.
 */

/**
 * Ready drinks stay on the tablet this long after they were made or last called for, so a drink nobody
 * collects can be called again; then they drop off (the display keeps them for 10 minutes).
 */
export const readyLaneMs = 5 * 60_000;

/** Green under 2 minutes, amber under 5, red after: how long the attendee has been waiting. */
export type AgeLevel = "fresh" | "waiting" | "late";

export function ageLevel(seconds: number): AgeLevel {
	return seconds < 120 ? "fresh" : seconds < 300 ? "waiting" : "late";
}

export type LaneId = "queued" | "making" | "ready";

export const laneIds: readonly LaneId[] = ["queued", "making", "ready"];

export interface Lanes {
	queued: Order[];
	making: Order[];
	ready: Order[];
	/** Attendees who scanned and are still choosing: the drinks about to come. */
	choosing: number;
}

const byNumber = (a: Order, b: Order) => (a.number ?? Number.MAX_SAFE_INTEGER) - (b.number ?? Number.MAX_SAFE_INTEGER);

/** The lane an order is on, if any. */
export function laneOf(order: Order, now: number): LaneId | null {
	if (order.state === "QUEUED") return "queued";
	if (order.state === "MAKING") return "making";
	if (
		order.state === "READY" &&
		order.finishedAt !== null &&
		Date.parse(order.remindedAt ?? order.finishedAt) + readyLaneMs > now
	)
		return "ready";
	return null;
}

/**
 * The board. `pinned` keeps orders that left the board on the lane they were on, while the barista has not
 * read why their action on it was refused (the attendee cancelled it, say).
 */
export function lanes(orders: Order[], now: number, pinned: ReadonlyMap<string, LaneId> = new Map()): Lanes {
	const board: Lanes = { queued: [], making: [], ready: [], choosing: 0 };
	for (const order of orders) {
		if (order.state === "AWAITING_ORDER") board.choosing++;
		const lane = laneOf(order, now) ?? pinned.get(order.id);
		if (lane) board[lane].push(order);
	}
	board.queued.sort(byNumber);
	board.making.sort(byNumber);
	board.ready.sort((a, b) => Date.parse(b.finishedAt ?? b.updatedAt) - Date.parse(a.finishedAt ?? a.updatedAt));
	return board;
}

/** Keeps the newer copy of each order: a reply to this tablet's own move can arrive before the socket's. */
export function newest(live: Order[], own: Iterable<Order>): Order[] {
	const byId = new Map(live.map((o) => [o.id, o]));
	for (const order of own) {
		const seen = byId.get(order.id);
		if (!seen || order.version > seen.version) byId.set(order.id, order);
	}
	return [...byId.values()];
}
