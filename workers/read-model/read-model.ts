import { and, desc, eq, inArray, lt, or } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import * as schema from "../../drizzle/schema";
import type { Order, OrderOption, OrderState } from "#contract/order.ts";

/** Queries over the D1 read model. */

export const database = (env: Env) => drizzle(env.DB, { schema });

const iso = (time: number | null): string | null => (time === null ? null : new Date(time).toISOString());

export function orderFromRow(row: typeof schema.orders.$inferSelect): Order {
	return {
		id: row.id,
		storeId: row.storeId,
		number: row.number,
		state: row.state as OrderState,
		drink: row.drinkId && row.drinkName ? { id: row.drinkId, name: row.drinkName } : null,
		options: JSON.parse(row.options) as OrderOption[],
		name: row.name,
		userId: row.userId,
		baristaId: row.baristaId,
		baristaName: row.baristaName,
		reason: row.reason as Order["reason"],
		version: row.version,
		createdAt: iso(row.createdAt)!,
		updatedAt: iso(row.updatedAt)!,
		expiresAt: iso(row.expiresAt),
		queuedAt: iso(row.queuedAt),
		claimedAt: iso(row.claimedAt),
		finishedAt: iso(row.finishedAt),
	};
}

/** Cursor of a page: the creation time and id of its last order. */
function encodeCursor(order: Order): string {
	return `${Date.parse(order.createdAt)}_${order.id}`;
}

function decodeCursor(cursor: string | undefined): { createdAt: number; id: string } | null {
	const match = cursor ? /^(\d+)_([0-9a-f-]{36})$/.exec(cursor) : null;
	return match ? { createdAt: Number(match[1]), id: match[2]! } : null;
}

export async function listOrders(
	env: Env,
	filter: { storeId?: string; userId?: string; states?: OrderState[]; limit: number; before?: string },
): Promise<{ orders: Order[]; next: string | null }> {
	const { orders } = schema;
	const cursor = decodeCursor(filter.before);
	const rows = await database(env)
		.select()
		.from(orders)
		.where(
			and(
				filter.storeId ? eq(orders.storeId, filter.storeId) : undefined,
				filter.userId ? eq(orders.userId, filter.userId) : undefined,
				filter.states?.length ? inArray(orders.state, filter.states) : undefined,
				cursor
					? or(
							lt(orders.createdAt, cursor.createdAt),
							and(eq(orders.createdAt, cursor.createdAt), lt(orders.id, cursor.id)),
						)
					: undefined,
			),
		)
		.orderBy(desc(orders.createdAt), desc(orders.id))
		.limit(filter.limit + 1);
	const page = rows.slice(0, filter.limit).map(orderFromRow);
	return { orders: page, next: rows.length > filter.limit ? encodeCursor(page[page.length - 1]!) : null };
}

export async function listStores(env: Env) {
	const rows = await database(env).select().from(schema.stores).orderBy(schema.stores.name);
	return rows.map((row) => ({ id: row.id, name: row.name, open: row.open, updatedAt: iso(row.updatedAt)! }));
}

/** One order from the read model, for orders whose Durable Object storage has been cleared after retention. */
export async function archivedOrder(env: Env, orderId: string): Promise<Order | null> {
	const row = await database(env).select().from(schema.orders).where(eq(schema.orders.id, orderId)).get();
	return row ? orderFromRow(row) : null;
}
