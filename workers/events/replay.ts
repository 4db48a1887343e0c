import { and, asc, eq, gt, gte, inArray, isNotNull, lt, or, type SQL } from "drizzle-orm";
import { z } from "zod";
import { orderEvents, orders, stores } from "../../drizzle/schema";
import { batches } from "#contract/delivery.ts";
import { Slug } from "#contract/store.ts";
import { database } from "../read-model/read-model";

/**
 * Replay (`npm run events:replay`): re-sends archived events (D1 `order_events.envelope`) of a time range,
 * and optionally of one store, to the events Queue, as EventBridge's archive replay does. Each message is
 * marked as a replay, and the consumer feeds marked messages only to replay-safe rules (the projector), so
 * a replay rebuilds the read model and never pushes a notice to a phone again.
 *
 * With `rebuild`, the first page first deletes the projection rows the range will rebuild (the orders and
 * stores its events are about), so the rows come back from the events alone. An order whose latest event is
 * after `to` comes back as it was at `to`.
 */

export interface ReplayMessage {
	/** The replay this message belongs to (for the dead-letter queue and logs). */
	replay: string;
	event: unknown;
}

/** A queue message body: an event, or a replayed one in its wrapper. */
export function unwrapReplay(body: unknown): { body: unknown; replay: boolean } {
	if (
		body &&
		typeof body === "object" &&
		typeof (body as Partial<ReplayMessage>).replay === "string" &&
		"event" in body
	) {
		return { body: (body as ReplayMessage).event, replay: true };
	}
	return { body, replay: false };
}

export const ReplayBody = z
	.strictObject({
		/** Events at or after this time… */
		from: z.iso.datetime({ offset: true }),
		/** …and before this one. */
		to: z.iso.datetime({ offset: true }),
		store: Slug.optional(),
		rebuild: z.boolean().default(false),
		replay: z.string().min(1).max(100),
		/** Where the previous page ended; absent on the first page. */
		cursor: z.string().max(200).optional(),
	})
	.refine((body) => Date.parse(body.from) < Date.parse(body.to), { message: "from must be before to", path: ["from"] })
	.meta({ id: "Replay" });
export type ReplayBody = z.infer<typeof ReplayBody>;

export const ReplayPage = z
	.object({
		sent: z.int(),
		/** Pass it back for the next page; null when the range is done. */
		cursor: z.string().nullable(),
		/** Projection rows deleted before the first page of a rebuild. */
		wiped: z.object({ orders: z.int(), stores: z.int() }).nullable(),
	})
	.meta({ id: "ReplayPage" });
export type ReplayPage = z.infer<typeof ReplayPage>;

const pageSize = 500;

function rangeOf(body: ReplayBody): SQL {
	return and(
		gte(orderEvents.time, Date.parse(body.from)),
		lt(orderEvents.time, Date.parse(body.to)),
		body.store ? eq(orderEvents.storeId, body.store) : undefined,
	)!;
}

async function wipe(env: Env, body: ReplayBody): Promise<{ orders: number; stores: number }> {
	const db = database(env);
	const range = rangeOf(body);
	const orderIds = db
		.selectDistinct({ id: orderEvents.orderId })
		.from(orderEvents)
		.where(and(range, isNotNull(orderEvents.orderId)));
	const storeIds = db
		.selectDistinct({ id: orderEvents.storeId })
		.from(orderEvents)
		.where(and(range, eq(orderEvents.type, "ConfigService.ConfigChanged")));
	const [deletedOrders, deletedStores] = await db.batch([
		db.delete(orders).where(inArray(orders.id, orderIds)),
		db.delete(stores).where(inArray(stores.id, storeIds)),
	]);
	return { orders: deletedOrders.meta.changes, stores: deletedStores.meta.changes };
}

function decodeCursor(cursor: string | undefined): { time: number; eventId: string } | null {
	const match = cursor ? /^(\d+)_(.+)$/.exec(cursor) : null;
	return match ? { time: Number(match[1]), eventId: match[2]! } : null;
}

/** Sends one page of the range to the queue. */
export async function replayPage(env: Env, body: ReplayBody): Promise<ReplayPage> {
	const wiped = body.rebuild && !body.cursor ? await wipe(env, body) : null;
	const after = decodeCursor(body.cursor);
	const rows = await database(env)
		.select({ eventId: orderEvents.eventId, time: orderEvents.time, envelope: orderEvents.envelope })
		.from(orderEvents)
		.where(
			and(
				rangeOf(body),
				after
					? or(
							gt(orderEvents.time, after.time),
							and(eq(orderEvents.time, after.time), gt(orderEvents.eventId, after.eventId)),
						)
					: undefined,
			),
		)
		.orderBy(asc(orderEvents.time), asc(orderEvents.eventId))
		.limit(pageSize);

	for (const batch of batches(rows, (row) => row.envelope.length)) {
		const messages = batch.map((row): MessageSendRequest<ReplayMessage> => ({
			body: { replay: body.replay, event: JSON.parse(row.envelope) as unknown },
			contentType: "json",
		}));
		await env.EVENTS.sendBatch(messages);
	}
	const last = rows.at(-1);
	return { sent: rows.length, cursor: rows.length === pageSize && last ? `${last.time}_${last.eventId}` : null, wiped };
}
