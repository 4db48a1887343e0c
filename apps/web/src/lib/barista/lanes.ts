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

export interface Lanes {
	queued: Order[];
	making: Order[];
	ready: Order[];
	/** Attendees who scanned and are still choosing: the drinks about to come. */
	choosing: number;
}

const byNumber = (a: Order, b: Order) => (a.number ?? 0) - (b.number ?? 0);

export function lanes(orders: Order[], now: number): Lanes {
	return {
		queued: orders.filter((o) => o.state === "QUEUED").sort(byNumber),
		making: orders.filter((o) => o.state === "MAKING").sort(byNumber),
		ready: orders
			.filter((o) => o.state === "READY" && o.finishedAt !== null && Date.parse(o.remindedAt ?? o.finishedAt) + readyLaneMs > now)
			.sort((a, b) => Date.parse(b.finishedAt!) - Date.parse(a.finishedAt!)),
		choosing: orders.filter((o) => o.state === "AWAITING_ORDER").length,
	};
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
