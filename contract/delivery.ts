/**
 * How events reach the Queue, for every sender (the objects' outboxes, replay, dead-letter redrive) and the
 * consumer's retries: one batching rule under the Queue's limits, one backoff.
 */

/** Queue limits: 100 messages and 256 KB per sendBatch (bytes kept well under, for the envelope). */
export const batchMessages = 100;
export const batchBytes = 200_000;

/**
 * `items` in order, in groups that one sendBatch takes: at most `batchMessages` each, and at most
 * `batchBytes` of their `size` (an item larger than that alone goes on its own).
 */
export function batches<T>(items: readonly T[], size: (item: T) => number): T[][] {
	const groups: T[][] = [];
	let group: T[] = [];
	let bytes = 0;
	for (const item of items) {
		const n = size(item);
		if (group.length === batchMessages || (group.length > 0 && bytes + n > batchBytes)) {
			groups.push(group);
			group = [];
			bytes = 0;
		}
		group.push(item);
		bytes += n;
	}
	if (group.length > 0) groups.push(group);
	return groups;
}

/**
 * Seconds to wait before the next attempt after `failures` in a row: doubling from 2 s, capped at five minutes.
 * A slower sender (webhook deliveries) doubles from `2 × unit` seconds up to its own cap.
 */
export function backoffSeconds(failures: number, { unit = 1, cap = 300 } = {}): number {
	return Math.min(unit * 2 ** failures, cap);
}
