import { timersTables } from "../blocks/timers";

/** The directory's tables, as numbered steps (see blocks/migrations.ts), created by its first admission. */
export const directorySchema = [
	// Without a rowid or a second index, an admission writes one row; the daily prune scans the table instead.
	`CREATE TABLE IF NOT EXISTS attendee_stores (
		user_id TEXT NOT NULL,
		store_id TEXT NOT NULL,
		admitted_at INTEGER NOT NULL,
		PRIMARY KEY (user_id, store_id)
	 ) WITHOUT ROWID;
	 ${timersTables}`,
] as const;
