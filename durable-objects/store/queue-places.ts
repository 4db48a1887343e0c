import { estimateRemaining, estimateWait, type PrepHistory } from "./eta";
import type { OrderRow } from "./schema";

/** What an OrderDO is told about its place in the queue. */
export interface QueueListener {
	queueUpdate(position: number | null, etaSeconds: number | null): Promise<void>;
}

/**
 * Each queued order's place in its store's queue and expected wait, from the store's own recent history,
 * and the job of telling the orders when either changes.
 */
export class QueuePlaces {
	#sql: SqlStorage;
	#order: (orderId: string) => QueueListener;

	constructor(sql: SqlStorage, order: (orderId: string) => QueueListener) {
		this.#sql = sql;
		this.#order = order;
	}

	/** Recent durations of this store's drinks (the last 20 ready in the last two hours). */
	history(now: number): PrepHistory {
		const rows = this.#sql
			.exec<{ queued_at: number; claimed_at: number; finished_at: number; position_at_queue: number }>(
				`SELECT queued_at, claimed_at, finished_at, position_at_queue FROM orders
				 WHERE state = 'READY' AND claimed_at IS NOT NULL AND queued_at IS NOT NULL AND finished_at > ?
				 ORDER BY finished_at DESC LIMIT 20`,
				now - 2 * 3_600_000,
			)
			.toArray();
		return {
			prepSeconds: rows.map((r) => (r.finished_at - r.claimed_at) / 1000),
			waitPerPlaceSeconds: rows.map((r) => (r.claimed_at - r.queued_at) / 1000 / Math.max(1, r.position_at_queue)),
		};
	}

	/** The place and wait of an order joining the queue now. */
	joining(now: number): { position: number; etaSeconds: number } {
		const position =
			this.#sql.exec<{ n: number }>(`SELECT count(*) AS n FROM orders WHERE state = 'QUEUED'`).one().n + 1;
		return { position, etaSeconds: estimateWait(position, this.history(now)) };
	}

	/**
	 * Tells queued orders their place and expected wait, and orders being made their expected wait, when
	 * either changed (the wait by 15 seconds or more). The orders pass it on to their attendees' sockets.
	 */
	refresh(now: number): void {
		const history = this.history(now);
		const updates: { id: string; position: number | null; eta: number }[] = [];
		const queued = this.#sql
			.exec<OrderRow>(`SELECT * FROM orders WHERE state = 'QUEUED' ORDER BY queued_at, number`)
			.toArray();
		queued.forEach((row, i) => {
			const position = i + 1;
			const eta = estimateWait(position, history);
			if (row.pushed_position !== position || row.pushed_eta === null || Math.abs(row.pushed_eta - eta) >= 15) {
				updates.push({ id: row.order_id, position, eta });
			}
		});
		for (const row of this.#sql.exec<OrderRow>(`SELECT * FROM orders WHERE state = 'MAKING' AND pushed_eta IS NULL`)) {
			updates.push({
				id: row.order_id,
				position: null,
				eta: estimateRemaining((now - (row.claimed_at ?? now)) / 1000, history),
			});
		}
		for (const update of updates) {
			this.#sql.exec(
				`UPDATE orders SET pushed_position = ?, pushed_eta = ? WHERE order_id = ?`,
				update.position,
				update.eta,
				update.id,
			);
		}
		// Not awaited: the barista's request should not wait for every attendee to hear; a lost update is
		// corrected by the next change of the queue.
		void Promise.allSettled(updates.map((u) => this.#order(u.id).queueUpdate(u.position, u.eta)));
	}
}
