import { config } from "#contract/config.ts";

/** Rows one statement deletes: small enough for one D1 query, whatever the backlog. */
const pageSize = 500;

/**
 * Deletes the journey archive (`order_events`) of every order whose retention is over, page by page; returns
 * how many events went. The order's row stays: history and analytics still count it. Events of no order (a
 * store's settings) stay for replay. Run daily by the Worker's cron trigger.
 */
export async function pruneJourneys(env: Env, now = Date.now()): Promise<number> {
	const cutoff = now - config(env).orderRetentionMs;
	let pruned = 0;
	for (;;) {
		// Read through the time index: an expired order's event newer than the cutoff goes on a later day.
		const { meta } = await env.DB.prepare(
			`DELETE FROM order_events WHERE event_id IN (
				SELECT e.event_id FROM order_events e JOIN orders o ON o.id = e.order_id
				WHERE e.time <= ?1 AND o.finished_at <= ?1 LIMIT ?2)`,
		)
			.bind(cutoff, pageSize)
			.run();
		pruned += meta.changes;
		if (meta.changes < pageSize) return pruned;
	}
}
