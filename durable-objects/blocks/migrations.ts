/**
 * Numbered schema changes for a Durable Object's SQLite (PRAGMA user_version is not available there). Each
 * step runs once, in order; objects created under an older schema catch up when they next wake. Steps are
 * never edited once shipped — add a new one.
 */
export function migrate(sql: SqlStorage, schema: string, steps: readonly string[]): void {
	sql.exec(
		`CREATE TABLE IF NOT EXISTS schema_migrations (schema TEXT NOT NULL, step INTEGER NOT NULL, PRIMARY KEY (schema, step))`,
	);
	const done = sql.exec<{ n: number }>(`SELECT count(*) AS n FROM schema_migrations WHERE schema = ?`, schema).one().n;
	for (let step = done; step < steps.length; step++) {
		sql.exec(steps[step]!);
		sql.exec(`INSERT INTO schema_migrations (schema, step) VALUES (?, ?)`, schema, step + 1);
	}
}

/**
 * An object's tables, created by its first write. A request for a store or an order that does not exist
 * wakes an object that has never been written; it must be able to say "no such thing" without leaving a
 * database behind, so until `ensure()` the object reads nothing and `ready` is false. An object that has
 * tables (from any earlier schema, even one without `schema_migrations`) catches up on waking.
 */
export class Schema {
	#sql: SqlStorage;
	#name: string;
	#steps: readonly string[];
	#ready: boolean;

	constructor(sql: SqlStorage, name: string, steps: readonly string[]) {
		this.#sql = sql;
		this.#name = name;
		this.#steps = steps;
		// Reading the catalogue writes nothing.
		this.#ready =
			sql
				.exec<{ n: number }>(
					`SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\'`,
				)
				.one().n > 0;
		if (this.#ready) migrate(sql, name, steps);
	}

	/** Whether the object has tables, i.e. has ever been written. */
	get ready(): boolean {
		return this.#ready;
	}

	/** Creates the tables before the object's first write; does nothing after. */
	ensure(): void {
		if (this.#ready) return;
		migrate(this.#sql, this.#name, this.#steps);
		this.#ready = true;
	}

	/** After `deleteAll()`: the object is back to having no tables. */
	forget(): void {
		this.#ready = false;
	}
}
