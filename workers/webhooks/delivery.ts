import { and, desc, eq, inArray } from "drizzle-orm";
import { webhookDeliveries } from "../../drizzle/schema";
import { backoffSeconds, batches } from "#contract/delivery.ts";
import type { EdgeEvent } from "#contract/events.ts";
import { shownDetail } from "#contract/journey.ts";
import type { Delivery, DeliveryStatus, WebhookPayload, WebhookRedrive } from "#contract/webhooks.ts";
import type { Rule } from "../events/consumer";
import { database } from "../read-model/read-model";
import { cachedEndpoints, endpointRow, signingSecrets, takesEvent, type EndpointRow } from "./endpoints";
import { ownHosts, refusedTarget } from "./targets";

/**
 * Webhook delivery (docs/extensions.md). The event consumer's `webhooks` rule only matches events against
 * the endpoints and puts one message per match on the webhooks queue; this file's consumer of that queue
 * makes the Standard Webhooks POST, retries with backoff, and dead-letters into D1. A slow or failing endpoint
 * therefore holds only its own queue, never the projection or the push notices.
 */

/** A message on the webhooks queue: a first attempt carries the body; a redrive or a resume releases a stored one. */
type DeliveryMessage =
	| { id: string; endpointId: string; eventType: string; payload: string }
	| { id: string; endpointId: string; release: true };

/** The `webhook-id`: one per event and endpoint, the same on every attempt. */
const webhookId = (event: EdgeEvent, endpoint: EndpointRow) => `${event.id}.${endpoint.id}`;

/** The body: what the public order journey would show of the event, never a name or a user id. */
function payloadOf(event: EdgeEvent): string {
	const payload: WebhookPayload = {
		type: event.type,
		timestamp: event.time,
		data: { eventId: event.id, storeId: event.storeId, orderId: event.orderId ?? null, detail: shownDetail(event) },
	};
	return JSON.stringify(payload);
}

async function enqueue(events: EdgeEvent[], env: Env): Promise<Set<string>> {
	const endpoints = await cachedEndpoints(env);
	const messages: DeliveryMessage[] = events.flatMap((event) =>
		endpoints
			.filter((endpoint) => takesEvent(endpoint, event))
			.map((endpoint) => ({
				id: webhookId(event, endpoint),
				endpointId: endpoint.id,
				eventType: event.type,
				payload: payloadOf(event),
			})),
	);
	await send(env, messages);
	return new Set();
}

async function send(env: Env, messages: DeliveryMessage[]): Promise<void> {
	for (const batch of batches(messages, (m) => ("payload" in m ? m.payload.length : 0) + 200)) {
		await env.WEBHOOKS.sendBatch(batch.map((body) => ({ body, contentType: "json" as const })));
	}
}

/** The consumer rule that hands matching events to the webhooks queue (not fed replays: they are not news). */
export const webhookRule: Rule = { name: "webhooks", pattern: "*", handle: enqueue };

const utf8 = new TextEncoder();

function secretBytes(secret: string): Uint8Array<ArrayBuffer> {
	return Uint8Array.from(atob(secret.replace(/^whsec_/, "")), (c) => c.charCodeAt(0));
}

/** `webhook-signature`: `v1,<base64 HMAC-SHA256 of id.timestamp.body>` per secret, space-separated. */
async function signature(secrets: string[], id: string, timestamp: number, body: string): Promise<string> {
	const signatures = await Promise.all(
		secrets.map(async (secret) => {
			const key = await crypto.subtle.importKey("raw", secretBytes(secret), { name: "HMAC", hash: "SHA-256" }, false, [
				"sign",
			]);
			const mac = await crypto.subtle.sign("HMAC", key, utf8.encode(`${id}.${timestamp}.${body}`));
			return `v1,${btoa(String.fromCharCode(...new Uint8Array(mac)))}`;
		}),
	);
	return signatures.join(" ");
}

type Outcome = { ok: true; status: number } | { ok: false; status: number | null; error: string };

async function post(env: Env, endpoint: EndpointRow, id: string, body: string): Promise<Outcome> {
	const refused = refusedTarget(endpoint.url, ownHosts(env));
	if (refused) return { ok: false, status: null, error: `target refused: the URL ${refused}` };
	const timestamp = Math.floor(Date.now() / 1000);
	try {
		const response = await fetch(endpoint.url, {
			method: "POST",
			headers: {
				"content-type": "application/json",
				"user-agent": "edgepresso-webhooks",
				"webhook-id": id,
				"webhook-timestamp": String(timestamp),
				"webhook-signature": await signature(signingSecrets(endpoint), id, timestamp, body),
			},
			body,
			// A redirect could lead anywhere, including where a URL may not point: it counts as a failure.
			redirect: "manual",
			signal: AbortSignal.timeout(Number(env.WEBHOOK_TIMEOUT_SECONDS) * 1000),
		});
		await response.body?.cancel();
		if (response.status >= 200 && response.status < 300) return { ok: true, status: response.status };
		return { ok: false, status: response.status, error: `answered ${response.status}` };
	} catch (error) {
		return { ok: false, status: null, error: String(error) };
	}
}

/** Longest wait a retry may ask of the queue (its limit is 12 hours). */
const longestDelaySeconds = 12 * 3600;

async function deliverOne(
	env: Env,
	message: Message<DeliveryMessage>,
	row: typeof webhookDeliveries.$inferSelect | undefined,
	endpoint: EndpointRow | undefined,
): Promise<void> {
	const db = env.DB;
	const release = "release" in message.body;
	// The endpoint was deleted (its deliveries with it), or this delivery is done, dead or held and nobody released it.
	if (!row || !endpoint || row.status === "delivered" || (row.status !== "pending" && !release)) return message.ack();
	const now = Date.now();
	// Held, not dropped, while the endpoint is paused. Conditional on the pause, in one statement: a resume that lands
	// first is seen here, one that lands after finds this row held and releases it.
	const held = await db
		.prepare(
			`UPDATE webhook_deliveries SET status = 'held', updated_at = ?1 WHERE id = ?2
			 AND EXISTS (SELECT 1 FROM webhook_endpoints WHERE id = ?3 AND paused = 1)`,
		)
		.bind(now, row.id, endpoint.id)
		.run();
	if (held.meta.changes > 0) return message.ack();
	// A released delivery starts its attempts again.
	const before = release ? 0 : row.attempts;
	const outcome = await post(env, endpoint, row.id, row.payload);
	const attempts = before + 1;
	const dead = !outcome.ok && (attempts >= Number(env.WEBHOOK_ATTEMPTS) || outcome.error.startsWith("target refused"));
	const status: DeliveryStatus = outcome.ok ? "delivered" : dead ? "dead" : "pending";
	await database(env)
		.update(webhookDeliveries)
		.set({
			status,
			attempts,
			lastStatus: outcome.status,
			lastError: outcome.ok ? null : outcome.error,
			updatedAt: Date.now(),
		})
		.where(eq(webhookDeliveries.id, row.id));
	if (status !== "pending") return message.ack();
	const unit = Number(env.WEBHOOK_RETRY_UNIT_SECONDS);
	message.retry({ delaySeconds: backoffSeconds(attempts, { unit, cap: longestDelaySeconds }) });
}

/** The webhooks queue's consumer: stores each new delivery, then sends them all at once. */
export async function consumeDeliveries(batch: MessageBatch<DeliveryMessage>, env: Env): Promise<void> {
	const now = Date.now();
	const fresh = batch.messages.flatMap((m) => ("payload" in m.body ? [m.body] : []));
	// A delivery whose endpoint was deleted meanwhile is not stored (the foreign key would refuse it).
	const inserts = fresh.map((m) =>
		env.DB.prepare(
			`INSERT OR IGNORE INTO webhook_deliveries (id, endpoint_id, event_type, payload, status, attempts, created_at, updated_at)
			 SELECT ?1, ?2, ?3, ?4, 'pending', 0, ?5, ?5 WHERE EXISTS (SELECT 1 FROM webhook_endpoints WHERE id = ?2)`,
		).bind(m.id, m.endpointId, m.eventType, m.payload, now),
	);
	if (inserts.length > 0) await env.DB.batch(inserts);
	const ids = [...new Set(batch.messages.map((m) => m.body.id))];
	const endpointIds = [...new Set(batch.messages.map((m) => m.body.endpointId))];
	const [rows, endpoints] = await Promise.all([
		database(env).select().from(webhookDeliveries).where(inArray(webhookDeliveries.id, ids)),
		Promise.all(endpointIds.map((id) => endpointRow(env, id))),
	]);
	const rowOf = new Map(rows.map((row) => [row.id, row]));
	const endpointOf = new Map(endpoints.flatMap((e) => (e ? [[e.id, e] as const] : [])));
	await Promise.all(
		batch.messages.map(async (message) => {
			try {
				await deliverOne(env, message, rowOf.get(message.body.id), endpointOf.get(message.body.endpointId));
			} catch (error) {
				console.error(`webhooks: delivery ${message.body.id} failed: ${String(error)}`);
				message.retry({ delaySeconds: backoffSeconds(message.attempts) });
			}
		}),
	);
}

/** Sends stored deliveries of an endpoint in `status` back to the queue; how many went. */
async function release(env: Env, endpointId: string, status: "held" | "dead", ids?: string[]): Promise<number> {
	const rows = await database(env)
		.select({ id: webhookDeliveries.id })
		.from(webhookDeliveries)
		.where(
			and(
				eq(webhookDeliveries.endpointId, endpointId),
				eq(webhookDeliveries.status, status),
				ids ? inArray(webhookDeliveries.id, ids) : undefined,
			),
		);
	await send(
		env,
		rows.map((row): DeliveryMessage => ({ id: row.id, endpointId, release: true })),
	);
	return rows.length;
}

/** After a resume: what was held while the endpoint was paused goes out now. */
export const releaseHeld = (env: Env, endpointId: string) => release(env, endpointId, "held");

/** Dead deliveries get a fresh set of attempts. */
export const redriveDeliveries = (env: Env, endpointId: string, body: WebhookRedrive) =>
	release(env, endpointId, "dead", body.ids);

export async function listDeliveries(
	env: Env,
	endpointId: string,
	query: { status?: DeliveryStatus; limit: number },
): Promise<Delivery[]> {
	const rows = await database(env)
		.select()
		.from(webhookDeliveries)
		.where(
			and(
				eq(webhookDeliveries.endpointId, endpointId),
				query.status ? eq(webhookDeliveries.status, query.status) : undefined,
			),
		)
		.orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
		.limit(query.limit);
	return rows.map((row) => ({
		id: row.id,
		eventType: row.eventType,
		status: row.status,
		attempts: row.attempts,
		lastStatus: row.lastStatus,
		lastError: row.lastError,
		createdAt: new Date(row.createdAt).toISOString(),
		updatedAt: new Date(row.updatedAt).toISOString(),
	}));
}
