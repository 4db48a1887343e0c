import { jsonRowTable } from "../blocks/json-row";
import { timersTables } from "../blocks/timers";

/** The VenueEventDO's tables, as numbered steps (see blocks/migrations.ts), created by its first write. */
export const venueEventSchema = [
	`${jsonRowTable("venue_event")}
	 CREATE TABLE IF NOT EXISTS reservations (
		order_id TEXT PRIMARY KEY,
		user_id TEXT NOT NULL,
		day TEXT NOT NULL,
		store_id TEXT NOT NULL,
		reserved_at INTEGER NOT NULL
	 );
	 CREATE INDEX IF NOT EXISTS reservations_user_day ON reservations (user_id, day);
	 ${timersTables}`,
] as const;

/** The event itself, kept as one JSON row. */
export interface VenueEventRecord {
	eventId: string;
	name: string;
	timeZone: string;
	dailyLimit: number;
	stores: string[];
	createdAt: number;
	updatedAt: number;
}
