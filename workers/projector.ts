import { getTableColumns, gt, sql, type SQL } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import { orderEvents, orders, stores } from "../drizzle/schema";
import type { EdgeEvent } from "./contract/events";
import { database } from "./read-model";

type Db = ReturnType<typeof database>;

const ms = (iso: string | null): number | null => (iso ? Date.parse(iso) : null);

/** `SET column = excluded.column` for every column but the key: an upsert that takes the incoming row. */
function takeIncoming<T extends SQLiteTable>(table: T, key: string): Record<string, SQL> {
	const columns = getTableColumns(table) as Record<string, SQLiteColumn>;
	return Object.fromEntries(
		Object.entries(columns)
			.filter(([name]) => name !== key)
			.map(([name, column]) => [name, sql.raw(`excluded.${column.name}`)]),
	);
}

/**
 * Keeps the D1 read model up to date from events. Idempotent and order-independent: the archive row is
 * keyed by event id (a redelivery inserts nothing), and an order or store row only ever moves to a higher
 * version (a late, older event changes nothing).
 */
export function projection(db: Db, event: EdgeEvent): BatchItem<"sqlite">[] {
	const order = "order" in event.detail ? event.detail.order : null;
	const statements: BatchItem<"sqlite">[] = [
		db
			.insert(orderEvents)
			.values({
				eventId: event.id,
				type: event.type,
				storeId: event.storeId,
				orderId: event.orderId ?? null,
				orderVersion: order?.version ?? null,
				time: Date.parse(event.time),
				envelope: JSON.stringify(event),
			})
			.onConflictDoNothing(),
	];
	if (order) {
		statements.push(
			db
				.insert(orders)
				.values({
					id: order.id,
					storeId: order.storeId,
					userId: order.userId,
					number: order.number,
					state: order.state,
					drinkId: order.drink?.id ?? null,
					drinkName: order.drink?.name ?? null,
					options: JSON.stringify(order.options),
					name: order.name,
					baristaId: order.baristaId,
					baristaName: order.baristaName,
					reason: order.reason,
					version: order.version,
					createdAt: Date.parse(order.createdAt),
					updatedAt: Date.parse(order.updatedAt),
					expiresAt: ms(order.expiresAt),
					queuedAt: ms(order.queuedAt),
					claimedAt: ms(order.claimedAt),
					finishedAt: ms(order.finishedAt),
				})
				.onConflictDoUpdate({ target: orders.id, set: takeIncoming(orders, "id"), setWhere: gt(sql`excluded.version`, orders.version) }),
		);
	}
	if (event.type === "ConfigService.ConfigChanged") {
		const { store } = event.detail;
		statements.push(
			db
				.insert(stores)
				.values({
					id: store.id,
					name: store.name,
					open: store.open,
					version: store.version,
					view: JSON.stringify(store),
					updatedAt: Date.parse(store.updatedAt),
				})
				.onConflictDoUpdate({ target: stores.id, set: takeIncoming(stores, "id"), setWhere: gt(sql`excluded.version`, stores.version) }),
		);
	}
	return statements;
}
