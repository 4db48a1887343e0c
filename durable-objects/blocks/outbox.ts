import { backoffSeconds, batches, batchMessages } from "#contract/delivery.ts";
import type { EdgeEvent } from "#contract/events.ts";
import type { Timers } from "./timers";

/** The table the outbox keeps, for an object's schema steps. */
export const outboxTable = `CREATE TABLE IF NOT EXISTS outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL);`;

/**
 * Events waiting to reach the Queue. `add` runs in the same synchronous stretch as the state change it
 * describes, so both are committed together or not at all; `flush` sends them and, if the Queue refuses,
 * tries again from the alarm with backoff until they are sent.
 */
export class Outbox {
	#sql: SqlStorage;
	#queue: () => Queue;
	#timers: Pick<Timers<"outbox">, "set" | "clear">;
	#flushing: Promise<void> | null = null;
	#again = false;
	/** Failed sends in a row, for the backoff; it starts again from 2 s after the object wakes. */
	#failures = 0;

	/** `queue` is read on every send, so the binding in use is always the object's current one. */
	constructor(sql: SqlStorage, queue: () => Queue, timers: Pick<Timers<"outbox">, "set" | "clear">) {
		this.#sql = sql;
		this.#queue = queue;
		this.#timers = timers;
	}

	add(event: EdgeEvent): void {
		this.#sql.exec(`INSERT INTO outbox (body) VALUES (?)`, JSON.stringify(event));
	}

	get pending(): number {
		return this.#sql.exec<{ n: number }>(`SELECT count(*) AS n FROM outbox`).one().n;
	}

	/**
	 * Sends what is pending without making the caller wait: the events are already committed with the change,
	 * and a failed send is retried from the alarm.
	 */
	deliver(): void {
		void this.flush();
	}

	/** Sends everything pending. Never throws: a failure arms a retry instead. */
	flush(): Promise<void> {
		if (this.#flushing) {
			this.#again = true;
			return this.#flushing;
		}
		this.#flushing = (async () => {
			try {
				do {
					this.#again = false;
					await this.#sendPending();
				} while (this.#again);
			} finally {
				this.#flushing = null;
			}
		})();
		return this.#flushing;
	}

	async #sendPending(): Promise<void> {
		for (;;) {
			const rows = this.#sql
				.exec<{ seq: number; body: string }>(`SELECT seq, body FROM outbox ORDER BY seq LIMIT ?`, batchMessages)
				.toArray();
			if (rows.length === 0) return;
			const batch = batches(rows, (row) => row.body.length)[0]!;
			try {
				await this.#queue().sendBatch(
					batch.map((row) => ({ body: JSON.parse(row.body) as unknown, contentType: "json" })),
				);
			} catch (error) {
				this.#failures++;
				const delay = backoffSeconds(this.#failures) * 1000;
				console.warn(`outbox: send failed (${String(error)}); ${rows.length} events wait, retry in ${delay / 1000}s`);
				this.#timers.set("outbox", Date.now() + delay);
				return;
			}
			const last = batch[batch.length - 1]!.seq;
			this.#sql.exec(`DELETE FROM outbox WHERE seq <= ?`, last);
			if (this.#failures > 0) {
				this.#failures = 0;
				this.#timers.clear("outbox");
			}
		}
	}
}
