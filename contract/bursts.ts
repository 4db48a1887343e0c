import { walkUpUserId } from "./attendees";

/**
 * A burst: orders admitted within a few seconds of each other that nobody has ordered a drink for. Real
 * attendees scan one by one and choose within a minute; one person with a dozen fresh sessions takes a whole
 * code's tokens in a second or two and then holds the capacity slots until the customer timer ends them.
 * The barista's tablet shows a burst (from its staff view) and ends it in one action; the store checks the
 * same definition before ending anything. No zod here: the tablet imports it.
 */

/** At least this many QR admissions ... */
export const burstMinOrders = 4;
/** ... within this many milliseconds of each other ... */
export const burstWindowMs = 5_000;
/** ... all still choosing this long after the last of them was admitted (real people get time to choose). */
export const burstQuietMs = 20_000;

export interface Admission {
	id: string;
	/** Epoch milliseconds. */
	admittedAt: number;
	state: string;
	userId: string;
}

/** The ids of the orders that are part of a burst at `now` (oldest first), or none. */
export function burstOf(admissions: readonly Admission[], now: number): string[] {
	const waiting = admissions
		.filter((a) => a.state === "AWAITING_ORDER" && a.userId !== walkUpUserId && now - a.admittedAt >= burstQuietMs)
		.sort((a, b) => a.admittedAt - b.admittedAt);
	const inBurst = new Set<string>();
	for (let first = 0, last = 0; first < waiting.length; first++) {
		while (last + 1 < waiting.length && waiting[last + 1]!.admittedAt - waiting[first]!.admittedAt <= burstWindowMs)
			last++;
		if (last - first + 1 >= burstMinOrders) for (let i = first; i <= last; i++) inBurst.add(waiting[i]!.id);
	}
	return waiting.filter((a) => inBurst.has(a.id)).map((a) => a.id);
}
