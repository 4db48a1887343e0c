/**
 * Wait estimates from the store's own recent history. Two measured quantities:
 *  - prep: how long a barista takes from claim to ready;
 *  - wait per place: how long an order waited from queued to claimed, divided by the place it joined the
 *    queue at — which folds in how many baristas work and how busy they are.
 * An order at place p is expected ready after p × (wait per place) + prep.
 */

export interface PrepHistory {
	/** Recent claim → ready durations, seconds. */
	prepSeconds: number[];
	/** Recent (queued → claimed) / place-at-queue, seconds. */
	waitPerPlaceSeconds: number[];
}

/** Before a store has any history: a two-minute drink, half a drink of waiting per place. */
export const defaultPrepSeconds = 120;

export function median(values: number[]): number | null {
	if (values.length === 0) return null;
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function prepEstimate(history: PrepHistory): number {
	return median(history.prepSeconds) ?? defaultPrepSeconds;
}

/** Seconds until an order at `position` (1 = next) in the queue is ready. */
export function estimateWait(position: number, history: PrepHistory): number {
	const prep = prepEstimate(history);
	const perPlace = median(history.waitPerPlaceSeconds) ?? prep / 2;
	return Math.round(position * perPlace + prep);
}

/** Seconds until an order being made is ready. */
export function estimateRemaining(secondsSinceClaim: number, history: PrepHistory): number {
	return Math.max(0, Math.round(prepEstimate(history) - secondsSinceClaim));
}
