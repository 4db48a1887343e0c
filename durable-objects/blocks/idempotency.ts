import { fail, type Result } from "#contract/errors.ts";
import { isRemembered, type IdempotencyKey, type Replayable } from "#contract/idempotency.ts";
import type { Actor } from "#contract/actor.ts";

/**
 * Safe retries (`Idempotency-Key`): a write sent again by the same caller with the same key gets its first
 * answer back instead of acting twice. The record lives in the object that makes the change, written in the
 * same synchronous step as the change, so "acted" and "remembered" are one atomic write; a second request
 * with the key of a write still under way waits for it (the object's one thread does the rest). Nothing is
 * written for a request without a key. The table is one of the object's numbered schema steps, so it exists
 * only once the object does: the object refuses a keyed write for what it does not hold before calling `run`.
 */

/** Records are kept at least this long (the StoreDO prunes older ones daily; an OrderDO's storage ends with its retention). */
const keyRetentionMs = 86_400_000;

/** Whose keys these are: two callers never see each other's results through a key. */
export function callerOf(actor: Actor): string {
	switch (actor.kind) {
		case "attendee":
			return `attendee:${actor.userId}`;
		case "staff":
			return `staff:${actor.staffId}`;
		case "display":
			return `display:${actor.displayId}`;
		case "admin":
		case "system":
			return actor.kind;
	}
}

/**
 * The records' table, for an object's schema steps: one row per keyed write, and no other index (the daily
 * prune reads every row once, which costs less than writing an index entry with each record).
 */
export const idempotencyTable = `CREATE TABLE IF NOT EXISTS idempotency_keys (
		caller TEXT NOT NULL,
		key TEXT NOT NULL,
		fingerprint TEXT NOT NULL,
		result TEXT NOT NULL,
		created_at INTEGER NOT NULL,
		PRIMARY KEY (caller, key)
	 ) WITHOUT ROWID;`;

/**
 * Passed to a keyed write: call it with the answer in the same synchronous step as the change, so the record
 * commits with it. A write that changes nothing need not call it: its result is remembered when it returns.
 */
export type Remember<T> = (result: Result<T>) => void;

/** A keyed write: it makes its change and answers, calling `remember` as it changes anything. */
export type KeyedWrite<T> = (remember: Remember<T>) => Promise<Result<T>>;

export class IdempotencyKeys {
	#sql: SqlStorage;
	/** Keyed writes under way, by caller and key. */
	#inFlight = new Map<string, Promise<unknown>>();

	constructor(sql: SqlStorage) {
		this.#sql = sql;
	}

	/**
	 * Runs `write` once per caller and key. A repeat gets the remembered result back, marked `replayed`; the
	 * same key with another request is refused (`idempotency_key_reused`); a repeat while the first is still
	 * under way waits for it. The result the write returns is what is remembered (it replaces what it passed
	 * to `remember`), unless it means nothing happened.
	 */
	async run<T>(caller: string, request: IdempotencyKey | undefined, write: KeyedWrite<T>): Promise<Replayable<T>> {
		if (!request) return write(() => {});
		const id = `${caller}\n${request.key}`;
		for (let running = this.#inFlight.get(id); running; running = this.#inFlight.get(id))
			await running.catch(() => undefined);
		const stored = this.#sql
			.exec<{ fingerprint: string; result: string }>(
				`SELECT fingerprint, result FROM idempotency_keys WHERE caller = ? AND key = ?`,
				caller,
				request.key,
			)
			.toArray()[0];
		if (stored && stored.fingerprint !== request.fingerprint) {
			return fail(
				"idempotency_key_reused",
				"This Idempotency-Key was sent with another request: use a new key for a new request.",
			);
		}
		if (stored) return { ...(JSON.parse(stored.result) as Result<T>), replayed: true };

		let remembered: string | null = null;
		const save = (result: Result<T>) => {
			const json = JSON.stringify(result);
			if (json === remembered) return;
			this.#sql.exec(
				`INSERT INTO idempotency_keys (caller, key, fingerprint, result, created_at) VALUES (?, ?, ?, ?, ?)
				 ON CONFLICT (caller, key) DO UPDATE SET result = excluded.result`,
				caller,
				request.key,
				request.fingerprint,
				json,
				Date.now(),
			);
			remembered = json;
		};
		const running = write(save);
		this.#inFlight.set(id, running);
		try {
			const result = await running;
			if (isRemembered(result)) save(result);
			return result;
		} finally {
			this.#inFlight.delete(id);
		}
	}

	/** Drops records older than `keyRetentionMs` as of `now`. */
	prune(now: number): void {
		this.#sql.exec(`DELETE FROM idempotency_keys WHERE created_at < ?`, now - keyRetentionMs);
	}

	/** Drops a caller's records (an attendee asked to be forgotten), or every record when no caller is named. */
	forget(caller?: string): void {
		if (caller === undefined) this.#sql.exec(`DELETE FROM idempotency_keys`);
		else this.#sql.exec(`DELETE FROM idempotency_keys WHERE caller = ?`, caller);
	}
}
