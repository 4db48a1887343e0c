import { count, desc, eq } from "drizzle-orm";
import { webhookDeliveries, webhookEndpoints } from "../../drizzle/schema";
import { matches, type EdgeEvent } from "#contract/events.ts";
import type { DeliveryStatus, Endpoint, EndpointCreate, EndpointUpdate } from "#contract/webhooks.ts";
import { database } from "../read-model/read-model";

/** The registered endpoints (D1 `webhook_endpoints`), their secrets and which events each one takes. */

export type EndpointRow = typeof webhookEndpoints.$inferSelect;

/** How long a secret replaced by a rotation keeps signing beside the new one. */
export const rotationGraceMs = 24 * 3600 * 1000;

const base64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

/** A Standard Webhooks secret: `whsec_` and 32 random bytes in base64. */
export function newSecret(): string {
	return `whsec_${base64(crypto.getRandomValues(new Uint8Array(32)))}`;
}

/** The secrets that sign a delivery now: the current one, and the one it replaced while its grace lasts. */
export function signingSecrets(endpoint: EndpointRow, now = Date.now()): string[] {
	const previous = endpoint.previousSecret && (endpoint.previousUntil ?? 0) > now ? [endpoint.previousSecret] : [];
	return [endpoint.secret, ...previous];
}

/** The event (conference) id an event carries, once the bus carries one. */
function eventIdOf(event: EdgeEvent): string | undefined {
	const carried = (event as { eventId?: unknown }).eventId;
	return typeof carried === "string" ? carried : undefined;
}

export function takesEvent(endpoint: EndpointRow, event: EdgeEvent): boolean {
	if (!matches(endpoint.pattern, event.type)) return false;
	const stores = JSON.parse(endpoint.stores) as string[];
	if (stores.length > 0 && !stores.includes(event.storeId)) return false;
	return endpoint.eventId === null || endpoint.eventId === eventIdOf(event);
}

/**
 * The endpoint list the event consumer matches against, read at most once per `cacheMs` per isolate: one D1
 * read per batch at most, usually none. A change made in this isolate is seen at once; elsewhere within `cacheMs`.
 */
const cacheMs = 10_000;
let cache: { until: number; endpoints: Promise<EndpointRow[]> } | null = null;

export function cachedEndpoints(env: Env): Promise<EndpointRow[]> {
	const now = Date.now();
	if (!cache || cache.until <= now) {
		const endpoints = database(env).select().from(webhookEndpoints);
		cache = { until: now + cacheMs, endpoints };
		// A failed read is not kept: the next batch reads again.
		endpoints.catch(() => (cache = null));
	}
	return cache.endpoints;
}

function changed(): void {
	cache = null;
}

function view(row: EndpointRow, counts: Partial<Record<DeliveryStatus, number>>): Endpoint {
	return {
		id: row.id,
		url: row.url,
		pattern: row.pattern,
		stores: JSON.parse(row.stores) as string[],
		eventId: row.eventId,
		description: row.description,
		paused: row.paused,
		createdAt: new Date(row.createdAt).toISOString(),
		updatedAt: new Date(row.updatedAt).toISOString(),
		previousSecretUntil:
			row.previousSecret && row.previousUntil && row.previousUntil > Date.now()
				? new Date(row.previousUntil).toISOString()
				: null,
		deliveries: { pending: 0, held: 0, delivered: 0, dead: 0, ...counts },
	};
}

async function deliveryCounts(env: Env, endpointId?: string) {
	const rows = await database(env)
		.select({ endpointId: webhookDeliveries.endpointId, status: webhookDeliveries.status, n: count() })
		.from(webhookDeliveries)
		.where(endpointId ? eq(webhookDeliveries.endpointId, endpointId) : undefined)
		.groupBy(webhookDeliveries.endpointId, webhookDeliveries.status);
	const counts = new Map<string, Partial<Record<DeliveryStatus, number>>>();
	for (const row of rows) counts.set(row.endpointId, { ...counts.get(row.endpointId), [row.status]: row.n });
	return counts;
}

export async function listEndpoints(env: Env): Promise<Endpoint[]> {
	const [rows, counts] = await Promise.all([
		database(env).select().from(webhookEndpoints).orderBy(desc(webhookEndpoints.createdAt)),
		deliveryCounts(env),
	]);
	return rows.map((row) => view(row, counts.get(row.id) ?? {}));
}

export async function endpointRow(env: Env, id: string): Promise<EndpointRow | null> {
	const [row] = await database(env).select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id));
	return row ?? null;
}

export async function readEndpoint(env: Env, id: string): Promise<Endpoint | null> {
	const row = await endpointRow(env, id);
	return row && view(row, (await deliveryCounts(env, id)).get(id) ?? {});
}

export async function createEndpoint(env: Env, body: EndpointCreate): Promise<{ endpoint: Endpoint; secret: string }> {
	const now = Date.now();
	const row: EndpointRow = {
		id: crypto.randomUUID(),
		url: body.url,
		pattern: body.pattern,
		stores: JSON.stringify(body.stores ?? []),
		eventId: body.eventId ?? null,
		description: body.description ?? "",
		secret: newSecret(),
		previousSecret: null,
		previousUntil: null,
		paused: false,
		createdAt: now,
		updatedAt: now,
	};
	await database(env).insert(webhookEndpoints).values(row);
	changed();
	return { endpoint: view(row, {}), secret: row.secret };
}

async function update(env: Env, id: string, values: Partial<EndpointRow>): Promise<EndpointRow | null> {
	const [row] = await database(env)
		.update(webhookEndpoints)
		.set({ ...values, updatedAt: Date.now() })
		.where(eq(webhookEndpoints.id, id))
		.returning();
	changed();
	return row ?? null;
}

export async function updateEndpoint(env: Env, id: string, body: EndpointUpdate): Promise<Endpoint | null> {
	const { stores, ...rest } = body;
	const row = await update(env, id, { ...rest, ...(stores ? { stores: JSON.stringify(stores) } : {}) });
	return row && readEndpoint(env, id);
}

export async function setPaused(env: Env, id: string, paused: boolean): Promise<EndpointRow | null> {
	return update(env, id, { paused });
}

/** A new secret; the current one keeps signing beside it for `rotationGraceMs`. */
export async function rotateSecret(env: Env, id: string): Promise<{ endpoint: Endpoint; secret: string } | null> {
	const current = await endpointRow(env, id);
	if (!current) return null;
	const secret = newSecret();
	const row = await update(env, id, {
		secret,
		previousSecret: current.secret,
		previousUntil: Date.now() + rotationGraceMs,
	});
	const endpoint = row && (await readEndpoint(env, id));
	return endpoint && { endpoint, secret };
}

/** Removes an endpoint and (by cascade) its deliveries; false when there is none. */
export async function deleteEndpoint(env: Env, id: string): Promise<boolean> {
	const deleted = await database(env)
		.delete(webhookEndpoints)
		.where(eq(webhookEndpoints.id, id))
		.returning({ id: webhookEndpoints.id });
	changed();
	return deleted.length > 0;
}
