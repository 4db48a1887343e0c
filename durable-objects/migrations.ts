/**
 * Numbered schema changes for a Durable Object's SQLite (PRAGMA user_version is not available there). Each
 * step runs once, in order, from the constructor; objects created under an older schema catch up when
 * they next wake. Steps are never edited once shipped — add a new one.
 */
export function migrate(sql: SqlStorage, schema: string, steps: readonly string[]): void {
	sql.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (schema TEXT NOT NULL, step INTEGER NOT NULL, PRIMARY KEY (schema, step))`);
	const done = sql.exec<{ n: number }>(`SELECT count(*) AS n FROM schema_migrations WHERE schema = ?`, schema).one().n;
	for (let step = done; step < steps.length; step++) {
		sql.exec(steps[step]!);
		sql.exec(`INSERT INTO schema_migrations (schema, step) VALUES (?, ?)`, schema, step + 1);
	}
}
