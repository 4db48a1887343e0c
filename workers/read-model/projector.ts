import { eq, getTableColumns, gt, inArray, sql, type SQL } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import { forgottenUsers, orderEvents, orders, stores } from "../../drizzle/schema";
import type { EdgeEvent } from "#contract/events.ts";
import { forgottenUserId } from "#contract/order.ts";
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
				.onConflictDoUpdate({
					target: orders.id,
					set: takeIncoming(orders, "id"),
					setWhere: gt(sql`excluded.version`, orders.version),
				}),
		);
	}
	if (event.type === "Privacy.AttendeeForgotten") {
		const { userId } = event.detail;
		statements.push(
			db
				.insert(forgottenUsers)
				.values({ userId, forgottenAt: Date.parse(event.time) })
				.onConflictDoNothing(),
			// Found by content, not through the orders table: the orders may already have been scrubbed by their
			// own Privacy.OrderForgotten events. Forgetting is rare; the archive scan is the price of certainty.
			db
				.update(orderEvents)
				.set({
					envelope: sql`json_replace(${orderEvents.envelope}, '$.detail.order.name', NULL, '$.detail.order.userId', ${forgottenUserId}, '$.detail.userId', ${forgottenUserId})`,
				})
				.where(
					sql`json_extract(${orderEvents.envelope}, '$.detail.order.userId') = ${userId} OR json_extract(${orderEvents.envelope}, '$.detail.userId') = ${userId}`,
				),
			db.update(orders).set({ name: null, userId: forgottenUserId }).where(eq(orders.userId, userId)),
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
				.onConflictDoUpdate({
					target: stores.id,
					set: takeIncoming(stores, "id"),
					setWhere: gt(sql`excluded.version`, stores.version),
				}),
		);
	}
	return statements;
}

/** The attendee an event is about, if any. */
function attendeeOf(event: EdgeEvent): string | null {
	const detail = event.detail as { userId?: unknown; order?: { userId?: unknown } };
	const id = detail.order?.userId ?? detail.userId;
	return typeof id === "string" && event.type !== "Privacy.AttendeeForgotten" ? id : null;
}

/**
 * Events about attendees who have since asked to be forgotten (they were still in the queue, or are being
 * replayed) lose the name and id before anything is written.
 */
export async function scrubForgotten(db: Db, events: EdgeEvent[]): Promise<EdgeEvent[]> {
	const ids = [...new Set(events.map(attendeeOf).filter((id): id is string => id !== null && id !== forgottenUserId))];
	if (ids.length === 0) return events;
	const forgotten = new Set(
		(
			await db.select({ userId: forgottenUsers.userId }).from(forgottenUsers).where(inArray(forgottenUsers.userId, ids))
		).map((r) => r.userId),
	);
	if (forgotten.size === 0) return events;
	return events.map((event) => {
		const id = attendeeOf(event);
		if (!id || !forgotten.has(id)) return event;
		const detail = structuredClone(event.detail) as {
			userId?: string;
			order?: { userId: string; name: string | null };
		};
		if (detail.order) Object.assign(detail.order, { userId: forgottenUserId, name: null });
		if (detail.userId) detail.userId = forgottenUserId;
		return { ...event, detail } as EdgeEvent;
	});
}
