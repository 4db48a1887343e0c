import type { Timers } from "../blocks/timers";

/** What the store asks of its event's object to give reservations back. */
export interface ReservationBook {
	release(orderIds: string[]): Promise<void>;
}

/**
 * Drinks the store reserved at its venue event and must give back: an order that ended without a drink, or a
 * scan the store refused after its reservation was made. Each is a row written in the same synchronous stretch
 * as the decision, then sent from the alarm until the event has it, so no reservation is lost to a failed call.
 * Giving back is safe to repeat (reservations are per order).
 */
export class EventReleases {
	#sql: SqlStorage;
	#timers: Pick<Timers<"event_releases">, "setNoLaterThan">;
	#event: (eventId: string) => ReservationBook;

	constructor(
		sql: SqlStorage,
		timers: Pick<Timers<"event_releases">, "setNoLaterThan">,
		event: (eventId: string) => ReservationBook,
	) {
		this.#sql = sql;
		this.#timers = timers;
		this.#event = event;
	}

	add(orderId: string, eventId: string, now: number): void {
		this.#sql.exec(`INSERT OR IGNORE INTO event_releases (order_id, event_id) VALUES (?, ?)`, orderId, eventId);
		this.#timers.setNoLaterThan("event_releases", now);
	}

	/** The `event_releases` timer: one call per event; what fails stays for the next try. */
	async flush(): Promise<void> {
		const rows = this.#sql
			.exec<{ order_id: string; event_id: string }>(`SELECT order_id, event_id FROM event_releases`)
			.toArray();
		const byEvent = Map.groupBy(rows, (row) => row.event_id);
		let failed = false;
		await Promise.all(
			[...byEvent].map(async ([eventId, released]) => {
				const ids = released.map((row) => row.order_id);
				try {
					await this.#event(eventId).release(ids);
					for (const id of ids) this.#sql.exec(`DELETE FROM event_releases WHERE order_id = ?`, id);
				} catch (error) {
					console.warn(
						`could not give ${ids.length} reservations back to event ${eventId} (${String(error)}); retrying`,
					);
					failed = true;
				}
			}),
		);
		if (failed) this.#timers.setNoLaterThan("event_releases", Date.now() + 5000);
	}
}
