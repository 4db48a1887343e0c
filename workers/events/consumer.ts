import { deadLetters } from "../../drizzle/schema";
import { backoffSeconds } from "#contract/delivery.ts";
import { matches, parseEvent, type EdgeEvent } from "#contract/events.ts";
import { tailRule } from "./tail";
import { notifierRules } from "./notifier";
import { projection, scrubForgotten } from "../read-model/projector";
import { database } from "../read-model/read-model";
import { unwrapReplay } from "./replay";
import { webhookRule } from "../webhooks/delivery";

/**
 * The event consumer. Like EventBridge rules, each rule names a type pattern and a handler; a message is
 * acknowledged once every rule that matches it has handled it, and retried with backoff otherwise (then
 * the queue moves it to the dead-letter queue). Handlers are idempotent: delivery is at least once.
 */
export interface Rule {
	name: string;
	pattern: string;
	/** Handles a batch of matching events; returns the ids of those it could not handle. */
	handle(events: EdgeEvent[], env: Env): Promise<Set<string>>;
	/** Also fed replayed events (`npm run events:replay`): only handlers with no effect outside D1's projection. */
	replaySafe?: boolean;
}

/** Writes events to the D1 archive and projections: one D1 batch (one transaction) for the lot, per event if that fails. */
async function project(incoming: EdgeEvent[], env: Env): Promise<Set<string>> {
	const db = database(env);
	const events = await scrubForgotten(db, incoming);
	const all = events.flatMap((event) => projection(db, event));
	const failed = new Set<string>();
	if (all.length === 0) return failed;
	try {
		await db.batch(all as [(typeof all)[number], ...typeof all]);
		return failed;
	} catch (error) {
		console.warn(`projector: batch of ${events.length} failed (${String(error)}); retrying one by one`);
	}
	for (const event of events) {
		const statements = projection(db, event);
		try {
			await db.batch(statements as [(typeof statements)[number], ...typeof statements]);
		} catch (error) {
			console.error(`projector: ${event.type} ${event.id} failed: ${String(error)}`);
			failed.add(event.id);
		}
	}
	return failed;
}

export const rules: Rule[] = [
	{ name: "projector", pattern: "*", handle: project, replaySafe: true },
	...notifierRules,
	tailRule,
	webhookRule,
];

export async function consumeEvents(batch: MessageBatch, env: Env, activeRules: Rule[] = rules): Promise<void> {
	const parsed: { message: Message; event: EdgeEvent; replay: boolean }[] = [];
	for (const message of batch.messages) {
		const { body, replay } = unwrapReplay(message.body);
		const result = parseEvent(body);
		if (result.ok) {
			parsed.push({ message, event: result.event, replay });
		} else {
			// A message that does not match the catalog will never succeed: park it for a person at once.
			console.error(`consumer: rejected message ${message.id}: ${result.error}`);
			await env.DEAD_LETTERS.send({ body: message.body, error: result.error }, { contentType: "json" });
			message.ack();
		}
	}
	const failed = new Set<string>();
	for (const rule of activeRules) {
		const events = parsed
			.filter((p) => (!p.replay || rule.replaySafe) && matches(rule.pattern, p.event.type))
			.map((p) => p.event);
		if (events.length === 0) continue;
		try {
			for (const id of await rule.handle(events, env)) failed.add(id);
		} catch (error) {
			console.error(`consumer: rule ${rule.name} threw: ${String(error)}`);
			for (const event of events) failed.add(event.id);
		}
	}
	for (const { message, event } of parsed) {
		if (failed.has(event.id)) message.retry({ delaySeconds: backoffSeconds(message.attempts) });
		else message.ack();
	}
}

/** Messages that exhausted their retries (or never parsed) land here and are kept in D1. */
export async function consumeDeadLetters(batch: MessageBatch, env: Env): Promise<void> {
	const db = database(env);
	const now = Date.now();
	const rows = batch.messages.map((message) => {
		const body = message.body as { error?: unknown } | null;
		const error = body && typeof body === "object" && typeof body.error === "string" ? body.error : "retries exhausted";
		return { messageId: message.id, body: JSON.stringify(message.body), error, receivedAt: now };
	});
	// One insert per row: D1 binds at most 100 parameters per statement.
	const inserts = rows.map((row) => db.insert(deadLetters).values(row));
	if (inserts.length > 0) await db.batch(inserts as [(typeof inserts)[number], ...typeof inserts]);
	batch.ackAll();
}
