import type { Menu, Region, Settings } from "#contract/store.ts";
import type { OrderState } from "#contract/order.ts";
import { openStates } from "#contract/moves.ts";
import { idempotencyTable } from "../blocks/idempotency";
import { jsonRowTable } from "../blocks/json-row";
import { outboxTable } from "../blocks/outbox";
import type { PinHashes } from "./pins";
import { liveVersionsTable } from "../blocks/sockets";
import { timersTables } from "../blocks/timers";

/** The StoreDO's own SQLite: its tables as numbered steps (see blocks/migrations.ts) and the shapes of their rows. */

/** The store's tables, as numbered steps (see blocks/migrations.ts), created by its first write (`create`). */
export const storeSchema = [
	`${jsonRowTable("store")}
	 CREATE TABLE IF NOT EXISTS orders (
		order_id TEXT PRIMARY KEY,
		user_id TEXT NOT NULL,
		name TEXT,
		state TEXT NOT NULL,
		version INTEGER NOT NULL,
		number INTEGER,
		day TEXT NOT NULL,
		started INTEGER NOT NULL DEFAULT 0,
		created_at INTEGER NOT NULL,
		customer_deadline INTEGER NOT NULL,
		queued_at INTEGER,
		claimed_at INTEGER,
		finished_at INTEGER,
		snapshot TEXT
	 );
	 CREATE INDEX IF NOT EXISTS orders_state ON orders (state);
	 CREATE TABLE IF NOT EXISTS daily_orders (user_id TEXT NOT NULL, day TEXT NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (user_id, day));
	 CREATE TABLE IF NOT EXISTS closing (order_id TEXT PRIMARY KEY);`,
	// Queue places and wait estimates: the place an order joined at, and what it was last told.
	`ALTER TABLE orders ADD COLUMN position_at_queue INTEGER;
	 ALTER TABLE orders ADD COLUMN pushed_position INTEGER;
	 ALTER TABLE orders ADD COLUMN pushed_eta INTEGER;`,
	// Abuse limits: scan attempts per attendee per minute, and failed staff PINs.
	`CREATE TABLE IF NOT EXISTS scan_attempts (user_id TEXT NOT NULL, minute INTEGER NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (user_id, minute));
	 CREATE TABLE IF NOT EXISTS pin_attempts (id INTEGER PRIMARY KEY CHECK (id = 1), failures INTEGER NOT NULL, locked_until INTEGER NOT NULL);`,
	// When staff last called for a ready drink (the board makes it stand out).
	`ALTER TABLE orders ADD COLUMN called_at INTEGER;`,
	// Sign-in failures per device, network and store (PinGuard) replace the one store-wide count; devices
	// that signed in here; one-time codes that pair a display.
	`CREATE TABLE IF NOT EXISTS pin_failures (key TEXT PRIMARY KEY, failures INTEGER NOT NULL, locked_until INTEGER NOT NULL, last_at INTEGER NOT NULL);
	 CREATE TABLE IF NOT EXISTS pin_devices (device TEXT PRIMARY KEY, signed_in_at INTEGER NOT NULL);
	 CREATE TABLE IF NOT EXISTS display_pairings (code TEXT PRIMARY KEY, expires_at INTEGER NOT NULL);
	 DROP TABLE IF EXISTS pin_attempts;`,
	// The tables the building blocks used to create for themselves on every wake: QR codes and who redeemed
	// them, timers, the outbox and the live versions. Now they exist only once the store does.
	`CREATE TABLE IF NOT EXISTS codes (
		code TEXT PRIMARY KEY,
		starts_at INTEGER NOT NULL,
		expires_at INTEGER NOT NULL,
		tokens_total INTEGER NOT NULL,
		tokens_left INTEGER NOT NULL
	 );
	 CREATE INDEX IF NOT EXISTS codes_expiry ON codes (expires_at);
	 CREATE TABLE IF NOT EXISTS redemptions (code TEXT NOT NULL, user_id TEXT NOT NULL, order_id TEXT NOT NULL, PRIMARY KEY (code, user_id));
	 ${timersTables}
	 ${outboxTable}
	 ${liveVersionsTable}`,
	// Abuse: tokens staff gave back by ending a burst (contract/bursts.ts), and the drinks each network took
	// from each code (its per-network budget, written only while a store sets one). Neither names an attendee.
	// (Giving back finds a redemption by order without an index: rare, where an index would cost every scan.)
	`ALTER TABLE redemptions ADD COLUMN returned INTEGER NOT NULL DEFAULT 0;
	 CREATE TABLE IF NOT EXISTS network_redemptions (code TEXT NOT NULL, network TEXT NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (code, network)) WITHOUT ROWID;`,
	// Safe retries: the answers to keyed writes (blocks/idempotency.ts), kept with the store rather than on first use, so a
	// keyed request for a store that does not exist leaves nothing behind.
	idempotencyTable,
	// Venue events: the event an order's drink was reserved at (null outside one), and the reservations still
	// to give back there (the order ended without a drink, or the store refused after reserving).
	`ALTER TABLE orders ADD COLUMN event_id TEXT;
	 CREATE TABLE IF NOT EXISTS event_releases (order_id TEXT PRIMARY KEY, event_id TEXT NOT NULL) WITHOUT ROWID;`,
] as const;

/** The store itself, kept as one JSON row. */
export interface StoreRecord {
	storeId: string;
	name: string;
	settings: Settings;
	menu: Menu;
	pins: PinHashes;
	version: number;
	nextNumber: number;
	/** The location hint the store's object was created with (older stores have none). */
	placedIn?: Region | null;
	/** The venue event whose bars this store is one of (contract/venue-event.ts), if any. */
	eventId?: string;
	createdAt: number;
	updatedAt: number;
}

/** The store's view of one of its orders. */
export type OrderRow = {
	order_id: string;
	user_id: string;
	name: string | null;
	state: OrderState;
	version: number;
	number: number | null;
	day: string;
	started: number;
	created_at: number;
	customer_deadline: number;
	queued_at: number | null;
	claimed_at: number | null;
	finished_at: number | null;
	position_at_queue: number | null;
	pushed_position: number | null;
	pushed_eta: number | null;
	called_at: number | null;
	snapshot: string | null;
	event_id: string | null;
};

/** States that hold a capacity slot (contract/order.ts), as an SQL list. */
export const openStateList = `(${openStates.map((state) => `'${state}'`).join(", ")})`;

export function orderRow(sql: SqlStorage, orderId: string): OrderRow | undefined {
	return sql.exec<OrderRow>(`SELECT * FROM orders WHERE order_id = ?`, orderId).toArray()[0];
}

/** Orders holding a capacity slot right now. */
export function openCount(sql: SqlStorage): number {
	return sql.exec<{ n: number }>(`SELECT count(*) AS n FROM orders WHERE state IN ${openStateList}`).one().n;
}
