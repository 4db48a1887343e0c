import { and, eq, isNull } from "drizzle-orm";
import { config } from "#contract/config.ts";
import { pushDeliveries, pushSubscriptions } from "../../drizzle/schema";
import type { PushSubscriptionBody } from "#contract/push.ts";
import { database } from "../read-model/read-model";

/** The browsers subscribed to each order's notices, and which notices each has been sent. */

export type StoredSubscription = typeof pushSubscriptions.$inferSelect;

/** An attendee follows an order on a phone or two, not a hundred. */
export const maxSubscriptionsPerOrder = 5;

/**
 * Does the deployment know this push service? An attendee must not make the Worker post anywhere else: https
 * on the default port, no credentials, and a host on the allow-list.
 */
export function knownPushService(env: Env, endpoint: string): boolean {
	const url = URL.canParse(endpoint) ? new URL(endpoint) : null;
	if (!url || url.protocol !== "https:" || url.port !== "" || url.username || url.password) return false;
	const host = url.hostname.toLowerCase();
	return config(env).pushServiceHosts.some((allowed) =>
		allowed.startsWith("*.") ? host.endsWith(allowed.slice(1)) : host === allowed,
	);
}

/**
 * Adds a browser to an order's notices; the same browser subscribing again refreshes its keys. False when
 * the order already has its fill of other browsers.
 */
export async function subscribe(
	env: Env,
	order: { id: string; userId: string },
	body: PushSubscriptionBody,
): Promise<boolean> {
	const db = database(env);
	const others = await db
		.select({ endpoint: pushSubscriptions.endpoint })
		.from(pushSubscriptions)
		.where(eq(pushSubscriptions.orderId, order.id));
	if (others.length >= maxSubscriptionsPerOrder && !others.some((o) => o.endpoint === body.endpoint)) return false;
	const now = Date.now();
	const fresh = {
		p256dh: body.keys.p256dh,
		auth: body.keys.auth,
		expiresAt: body.expirationTime == null ? null : Math.floor(body.expirationTime),
		lang: body.lang ?? "en",
		updatedAt: now,
	};
	await db
		.insert(pushSubscriptions)
		.values({ orderId: order.id, userId: order.userId, endpoint: body.endpoint, createdAt: now, ...fresh })
		.onConflictDoUpdate({ target: [pushSubscriptions.orderId, pushSubscriptions.endpoint], set: fresh });
	return true;
}

export async function unsubscribe(env: Env, orderId: string, endpoint: string): Promise<void> {
	await database(env)
		.delete(pushSubscriptions)
		.where(and(eq(pushSubscriptions.orderId, orderId), eq(pushSubscriptions.endpoint, endpoint)));
}

/** The order's subscriptions that have not yet been sent this event. */
export async function awaitingNotice(env: Env, orderId: string, eventId: string): Promise<StoredSubscription[]> {
	const rows = await database(env)
		.select({ subscription: pushSubscriptions })
		.from(pushSubscriptions)
		.leftJoin(
			pushDeliveries,
			and(eq(pushDeliveries.subscriptionId, pushSubscriptions.id), eq(pushDeliveries.eventId, eventId)),
		)
		.where(and(eq(pushSubscriptions.orderId, orderId), isNull(pushDeliveries.eventId)));
	return rows.map((row) => row.subscription);
}

export async function recordDelivery(env: Env, subscriptionId: number, eventId: string): Promise<void> {
	await database(env)
		.insert(pushDeliveries)
		.values({ subscriptionId, eventId, sentAt: Date.now() })
		.onConflictDoNothing();
}

/** Drops a subscription the push service no longer knows (its deliveries go with it). */
export async function forget(env: Env, subscriptionId: number): Promise<void> {
	await database(env).delete(pushSubscriptions).where(eq(pushSubscriptions.id, subscriptionId));
}
