/** The tables Timers keeps, for an object's schema steps. A change to them is a new step in each schema. */
export const timersTables = `
	CREATE TABLE IF NOT EXISTS timers (kind TEXT PRIMARY KEY, due_at INTEGER NOT NULL);
	-- The time the alarm is armed for, kept beside the timers so a wake-up knows it without an await.
	CREATE TABLE IF NOT EXISTS alarm (id INTEGER PRIMARY KEY CHECK (id = 1), armed_at INTEGER);`;

/**
 * Many named timers on the one alarm a Durable Object has: each timer is a row, the alarm is armed at the
 * earliest row. Setting a timer that already exists moves it. Handlers must be idempotent: alarms are
 * delivered at least once.
 */
export class Timers<Kind extends string> {
	#storage: DurableObjectStorage;
	#sql: SqlStorage;
	/** The alarm's time as last written (undefined until read once). */
	#armed: number | null | undefined;

	constructor(storage: DurableObjectStorage) {
		this.#storage = storage;
		this.#sql = storage.sql;
	}

	/** Starts or moves a timer, and re-arms the alarm if it is now the earliest. */
	set(kind: Kind, dueAt: number): void {
		this.#sql.exec(
			`INSERT INTO timers (kind, due_at) VALUES (?, ?) ON CONFLICT (kind) DO UPDATE SET due_at = excluded.due_at`,
			kind,
			Math.round(dueAt),
		);
		this.#arm();
	}

	/** Sets a timer only if it is not running or would fire later than `dueAt`. */
	setNoLaterThan(kind: Kind, dueAt: number): void {
		const current = this.get(kind);
		if (current === null || current > dueAt) this.set(kind, dueAt);
	}

	clear(...kinds: Kind[]): void {
		for (const kind of kinds) this.#sql.exec(`DELETE FROM timers WHERE kind = ?`, kind);
		// The alarm is left as it is: when it fires with nothing due, `takeDue` re-arms it at the next timer.
	}

	get(kind: Kind): number | null {
		const row = this.#sql.exec<{ due_at: number }>(`SELECT due_at FROM timers WHERE kind = ?`, kind).toArray()[0];
		return row ? row.due_at : null;
	}

	/**
	 * Called at the start of `alarm()`: removes and returns the timers that are due, and the moment they are
	 * due at. That moment is the time the alarm was armed for, even if the alarm ran early (as
	 * `runDurableObjectAlarm` does), so handlers that compare times should use it rather than the clock.
	 */
	takeDue(now: number): { kinds: Kind[]; at: number } {
		const horizon = Math.max(now, this.#armedAt() ?? 0);
		this.#setArmed(null);
		const due = this.#sql
			.exec<{ kind: string }>(`SELECT kind FROM timers WHERE due_at <= ? ORDER BY due_at`, horizon)
			.toArray()
			.map((row) => row.kind as Kind);
		for (const kind of due) this.#sql.exec(`DELETE FROM timers WHERE kind = ?`, kind);
		this.#arm();
		return { kinds: due, at: horizon };
	}

	/** Stops every timer and the alarm. */
	clearAll(): void {
		this.#sql.exec(`DELETE FROM timers`);
		this.#setArmed(null);
		void this.#storage.deleteAlarm();
	}

	#armedAt(): number | null {
		if (this.#armed === undefined) {
			this.#armed =
				this.#sql.exec<{ armed_at: number | null }>(`SELECT armed_at FROM alarm WHERE id = 1`).toArray()[0]?.armed_at ??
				null;
		}
		return this.#armed;
	}

	#setArmed(at: number | null): void {
		this.#sql.exec(
			`INSERT INTO alarm (id, armed_at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET armed_at = excluded.armed_at`,
			at,
		);
		this.#armed = at;
	}

	#arm(): void {
		const next = this.#sql.exec<{ next: number | null }>(`SELECT min(due_at) AS next FROM timers`).one().next;
		const armed = this.#armedAt();
		if (next === armed) return;
		this.#setArmed(next);
		// Storage writes are held behind the output gate, so these need no await to be durable before a reply.
		if (next === null) void this.#storage.deleteAlarm();
		else void this.#storage.setAlarm(next);
	}
}
