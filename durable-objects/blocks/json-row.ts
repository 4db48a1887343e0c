/** The table of a one-row record named `table`, for an object's schema steps. */
export function jsonRowTable(table: string): string {
	return `CREATE TABLE IF NOT EXISTS ${table} (id INTEGER PRIMARY KEY CHECK (id = 1), data TEXT NOT NULL);`;
}

/**
 * A Durable Object's one-row record (the store's settings, an order's state), kept as JSON in its own
 * table and cached in memory: reads cost nothing after the first, writes are one synchronous upsert.
 */
export class JsonRow<T> {
	#sql: SqlStorage;
	#table: string;
	#cached: T | null | undefined;

	constructor(sql: SqlStorage, table: string) {
		this.#sql = sql;
		this.#table = table;
	}

	get(): T | null {
		if (this.#cached === undefined) {
			const row = this.#sql.exec<{ data: string }>(`SELECT data FROM ${this.#table} WHERE id = 1`).toArray()[0];
			this.#cached = row ? (JSON.parse(row.data) as T) : null;
		}
		return this.#cached;
	}

	set(value: T): void {
		this.#sql.exec(
			`INSERT INTO ${this.#table} (id, data) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET data = excluded.data`,
			JSON.stringify(value),
		);
		this.#cached = value;
	}
}
