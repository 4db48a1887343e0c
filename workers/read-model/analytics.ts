import { and, count, desc, eq, gte, inArray, isNotNull, lt, sql, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import * as schema from "../../drizzle/schema";
import { hourMs, type Analytics, type Durations } from "#contract/analytics.ts";
import { walkUpUserId } from "#contract/attendees.ts";
import type { EndReason } from "#contract/order.ts";
import { database } from "./read-model";

/**
 * The analytics queries over the D1 read model. Counts are grouped in SQL; the durations of the drinks
 * made in the range come back as rows, since SQLite has no percentiles.
 */

/**
 * The longest an order can stay open: the longest customer window plus the longest barista window a store
 * may set (`Settings`: 3,600 s and 14,400 s). Anything that happened in the range belongs to an order
 * created at most this long before it, which lets every query use the (store, created_at) index.
 */
const maxOrderLifetimeMs = (3_600 + 14_400) * 1000;

const { orders, orderEvents } = schema;

/** Rows of this store that may have had something happen in [from, to). */
function candidates(storeId: string, from: number, to: number): SQL {
	return and(eq(orders.storeId, storeId), gte(orders.createdAt, from - maxOrderLifetimeMs), lt(orders.createdAt, to))!;
}

const within = (column: SQLiteColumn, from: number, to: number) => and(gte(column, from), lt(column, to));

/** The hour (epoch ms of its start) a time falls in: integer division, so the length is a literal, not a (real) parameter. */
const hourOf = (column: SQLiteColumn) =>
	sql<number>`(${column} / ${sql.raw(String(hourMs))}) * ${sql.raw(String(hourMs))}`;

/** Linear interpolation between the closest ranks of sorted values. */
function percentile(sorted: number[], p: number): number | null {
	if (sorted.length === 0) return null;
	const rank = p * (sorted.length - 1);
	const low = Math.floor(rank);
	const high = Math.min(low + 1, sorted.length - 1);
	return sorted[low]! + (sorted[high]! - sorted[low]!) * (rank - low);
}

const seconds = (ms: number | null) => (ms === null ? null : Math.round(ms / 100) / 10);

function distribution(values: number[]): Durations {
	const sorted = [...values].sort((a, b) => a - b);
	return {
		count: sorted.length,
		medianSeconds: seconds(percentile(sorted, 0.5)),
		p90Seconds: seconds(percentile(sorted, 0.9)),
		maxSeconds: seconds(sorted.at(-1) ?? null),
	};
}

export async function storeAnalytics(env: Env, storeId: string, from: number, to: number): Promise<Analytics> {
	const db = database(env);
	const rows = candidates(storeId, from, to);
	const [opened, ordered, readyHours, made, endings, drinks, options, called] = await Promise.all([
		db
			.select({ walkUp: sql<number>`${orders.userId} = ${walkUpUserId}`, count: count() })
			.from(orders)
			.where(and(rows, gte(orders.createdAt, from)))
			.groupBy(sql`1`),
		db
			.select({ hour: hourOf(orders.queuedAt), count: count() })
			.from(orders)
			.where(and(rows, within(orders.queuedAt, from, to)))
			.groupBy(sql`1`),
		db
			.select({ hour: hourOf(orders.finishedAt), count: count() })
			.from(orders)
			.where(and(rows, eq(orders.state, "READY"), within(orders.finishedAt, from, to)))
			.groupBy(sql`1`),
		db
			.select({ queuedAt: orders.queuedAt, claimedAt: orders.claimedAt, finishedAt: orders.finishedAt })
			.from(orders)
			.where(
				and(
					rows,
					eq(orders.state, "READY"),
					within(orders.finishedAt, from, to),
					isNotNull(orders.claimedAt),
					isNotNull(orders.queuedAt),
				),
			),
		db
			.select({ state: orders.state, reason: orders.reason, count: count() })
			.from(orders)
			.where(and(rows, inArray(orders.state, ["CANCELLED", "TIMED_OUT"]), within(orders.finishedAt, from, to)))
			.groupBy(orders.state, orders.reason)
			.orderBy(desc(count())),
		db
			.select({ id: orders.drinkId, name: orders.drinkName, count: count() })
			.from(orders)
			.where(and(rows, within(orders.queuedAt, from, to), isNotNull(orders.drinkId)))
			.groupBy(orders.drinkId)
			.orderBy(desc(count()), orders.drinkId),
		// Options are stored as a JSON array per order; json_each turns them into one row per choice.
		db.all<{ group: string; choice: string; label: string; count: number }>(sql`
			SELECT json_extract(choice.value, '$.group') AS "group", json_extract(choice.value, '$.choice') AS choice,
				max(json_extract(choice.value, '$.label')) AS label, count(*) AS count
			FROM ${orders}, json_each(${orders.options}) AS choice
			WHERE ${and(rows, within(orders.queuedAt, from, to))}
			GROUP BY 1, 2 ORDER BY count DESC, 1, 2`),
		db
			.select({ count: count() })
			.from(orderEvents)
			.where(
				and(
					eq(orderEvents.storeId, storeId),
					eq(orderEvents.type, "OrderManager.CustomerReminded"),
					within(orderEvents.time, from, to),
				),
			),
	]);

	const firstHour = Math.floor(from / hourMs) * hourMs;
	const hours = new Map<number, { ordered: number; ready: number; waits: number[]; preps: number[] }>();
	for (let start = firstHour; start < to; start += hourMs)
		hours.set(start, { ordered: 0, ready: 0, waits: [], preps: [] });
	for (const row of ordered) hours.get(row.hour)!.ordered = row.count;
	for (const row of readyHours) hours.get(row.hour)!.ready = row.count;
	const waits: number[] = [];
	const preps: number[] = [];
	for (const row of made) {
		const hour = hours.get(Math.floor(row.finishedAt! / hourMs) * hourMs)!;
		const wait = row.claimedAt! - row.queuedAt!;
		const prep = row.finishedAt! - row.claimedAt!;
		waits.push(wait);
		preps.push(prep);
		hour.waits.push(wait);
		hour.preps.push(prep);
	}

	const ended = (state: string) => endings.filter((e) => e.state === state).reduce((sum, e) => sum + e.count, 0);
	return {
		storeId,
		from: new Date(from).toISOString(),
		to: new Date(to).toISOString(),
		totals: {
			admitted: opened.find((row) => !row.walkUp)?.count ?? 0,
			walkUps: opened.find((row) => row.walkUp)?.count ?? 0,
			ordered: ordered.reduce((sum, row) => sum + row.count, 0),
			ready: readyHours.reduce((sum, row) => sum + row.count, 0),
			cancelled: ended("CANCELLED"),
			timedOut: ended("TIMED_OUT"),
			called: called[0]?.count ?? 0,
		},
		hours: [...hours].map(([start, hour]) => ({
			start: new Date(start).toISOString(),
			ordered: hour.ordered,
			ready: hour.ready,
			medianWaitSeconds: distribution(hour.waits).medianSeconds,
			medianPrepSeconds: distribution(hour.preps).medianSeconds,
		})),
		wait: distribution(waits),
		prep: distribution(preps),
		endings: endings.map((e) => ({
			state: e.state as "CANCELLED" | "TIMED_OUT",
			reason: e.reason as EndReason | null,
			count: e.count,
		})),
		drinks: drinks.map((d) => ({ id: d.id!, name: d.name ?? d.id!, count: d.count })),
		options: options.map((o) => ({ ...o, count: Number(o.count) })),
	};
}
