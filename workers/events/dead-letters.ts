import { asc, count, eq, gt, inArray, lte } from "drizzle-orm";
import { z } from "zod";
import { deadLetters } from "../../drizzle/schema";
import { batches, batchMessages } from "#contract/delivery.ts";
import { unwrapReplay } from "./replay";
import { database } from "../read-model/read-model";

/**
 * The dead-letter queue's shelf (D1 `dead_letters`): messages the consumer could not handle after every
 * retry, or that never matched the catalog. An operator lists them, fixes the cause (a bug, a broken
 * projection, a schema deployed late), then redrives them: each goes back to the events Queue exactly as it
 * first arrived, and its row leaves the shelf once the Queue has it. A message that fails again comes back
 * as a new row. Discarding removes a row for good.
 */

export const DeadLetter = z
	.object({
		id: z.int(),
		messageId: z.string(),
		error: z.string(),
		receivedAt: z.string(),
		/** The event's type and order, when the message is an event at all. */
		type: z.string().nullable(),
		orderId: z.string().nullable(),
		replay: z.boolean(),
		/** The message as the events Queue first carried it: what a redrive sends again. */
		message: z.unknown(),
	})
	.meta({ id: "DeadLetter" });
export type DeadLetter = z.infer<typeof DeadLetter>;

export const DeadLetterQuery = z.object({
	/** Rows after this id (the previous page's last), oldest first. */
	after: z.coerce.number().int().min(0).optional(),
	limit: z.coerce.number().int().min(1).max(100).default(50),
});

export const DeadLetterList = z
	.object({ deadLetters: z.array(DeadLetter), total: z.int() })
	.meta({ id: "DeadLetterList" });
export type DeadLetterList = z.infer<typeof DeadLetterList>;

const DeadLetterId = z.int().min(1).max(Number.MAX_SAFE_INTEGER);

export const RedriveBody = z
	.strictObject({
		/** These rows only… */
		ids: z.array(DeadLetterId).min(1).max(100).optional(),
		/** …or the oldest rows up to and including this id (a redrive started from a listing stops at what it saw). */
		through: DeadLetterId.optional(),
	})
	// An explicit scope, always: an empty or missing body redriving everything would be too easy a mistake.
	.refine((body) => (body.ids === undefined) !== (body.through === undefined), {
		message: "give either ids or through",
		path: ["ids"],
	})
	.meta({ id: "Redrive" });
export type RedriveBody = z.infer<typeof RedriveBody>;

export const RedriveResult = z
	.object({
		redriven: z.int(),
		/** Rows the request covers that are still on the shelf: call again while this is above zero. */
		remaining: z.int(),
	})
	.meta({ id: "RedriveResult" });
export type RedriveResult = z.infer<typeof RedriveResult>;

/** Rows one redrive takes off the shelf. */
const pageSize = batchMessages;

/**
 * The message the events Queue first carried. The consumer shelves a message that never parsed as
 * `{ body, error }`, and one that ran out of retries as itself.
 */
function originalMessage(stored: unknown, error: string): unknown {
	const wrapped =
		stored && typeof stored === "object" && "body" in stored && (stored as { error?: unknown }).error === error;
	return wrapped ? (stored as { body: unknown }).body : stored;
}

function describe(row: typeof deadLetters.$inferSelect): DeadLetter {
	const error = row.error ?? "retries exhausted";
	let message: unknown;
	try {
		message = originalMessage(JSON.parse(row.body), error);
	} catch {
		message = row.body;
	}
	const { body, replay } = unwrapReplay(message);
	const event = body && typeof body === "object" ? (body as { type?: unknown; orderId?: unknown }) : {};
	return {
		id: row.id,
		messageId: row.messageId,
		error,
		receivedAt: new Date(row.receivedAt).toISOString(),
		type: typeof event.type === "string" ? event.type : null,
		orderId: typeof event.orderId === "string" ? event.orderId : null,
		replay,
		message,
	};
}

export async function listDeadLetters(env: Env, query: z.infer<typeof DeadLetterQuery>): Promise<DeadLetterList> {
	const db = database(env);
	const [rows, [total]] = await Promise.all([
		db
			.select()
			.from(deadLetters)
			.where(query.after === undefined ? undefined : gt(deadLetters.id, query.after))
			.orderBy(asc(deadLetters.id))
			.limit(query.limit),
		db.select({ n: count() }).from(deadLetters),
	]);
	return { deadLetters: rows.map(describe), total: total?.n ?? 0 };
}

/** Sends one page of shelved messages back to the events Queue, then takes them off the shelf. */
export async function redrive(env: Env, body: RedriveBody): Promise<RedriveResult> {
	const db = database(env);
	const scope = body.ids
		? inArray(deadLetters.id, body.ids)
		: body.through !== undefined
			? lte(deadLetters.id, body.through)
			: undefined;
	const rows = await db.select().from(deadLetters).where(scope).orderBy(asc(deadLetters.id)).limit(pageSize);

	const sent: number[] = [];
	for (const batch of batches(rows, (row) => row.body.length)) {
		await env.EVENTS.sendBatch(
			batch.map((row): MessageSendRequest => ({ body: describe(row).message, contentType: "json" })),
		);
		sent.push(...batch.map((row) => row.id));
	}
	// Off the shelf only once the Queue holds them: a failure in between sends a message twice, which every
	// consumer rule tolerates, and never loses one.
	if (sent.length > 0) await db.delete(deadLetters).where(inArray(deadLetters.id, sent));
	const [left] = await db.select({ n: count() }).from(deadLetters).where(scope);
	return { redriven: sent.length, remaining: left?.n ?? 0 };
}

/** Removes one shelved message for good; false when there is no such row. */
export async function discardDeadLetter(env: Env, id: number): Promise<boolean> {
	const deleted = await database(env)
		.delete(deadLetters)
		.where(eq(deadLetters.id, id))
		.returning({ id: deadLetters.id });
	return deleted.length > 0;
}
