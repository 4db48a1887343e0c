import { buildPushPayload } from "@block65/webcrypto-web-push";
import type { Rule } from "./consumer";
import type { EdgeEvent } from "#contract/events.ts";
import type { PushNotice } from "#contract/push.ts";
import { noticeEvents, noticeFor } from "./notices";
import {
	awaitingNotice,
	forget,
	knownPushService,
	recordDelivery,
	type StoredSubscription,
} from "./push-subscriptions";

/**
 * Web Push (RFC 8030): tells the attendee's phone that the order ended, even with the page in the
 * background. The payload is encrypted for the browser (RFC 8291, aes128gcm) and signed with our VAPID
 * key (RFC 8292) by @block65/webcrypto-web-push, on WebCrypto.
 */

/** A notice older than this is no longer worth showing: the push service may drop it. */
const ttlSeconds = 3600;

type Outcome = "sent" | "gone" | "failed";

async function send(env: Env, subscription: StoredSubscription, notice: PushNotice): Promise<Outcome> {
	if (subscription.expiresAt !== null && subscription.expiresAt <= Date.now()) return "gone";
	// Stored before the deployment's rules were as strict (or the allow-list changed since): never posted to.
	if (!knownPushService(env, subscription.endpoint)) return "gone";
	const where = `order ${notice.orderId} to ${new URL(subscription.endpoint).host}`;
	let response: Response;
	try {
		const request = await buildPushPayload(
			{ data: notice, options: { ttl: ttlSeconds, urgency: notice.state === "READY" ? "high" : "normal" } },
			{
				endpoint: subscription.endpoint,
				expirationTime: subscription.expiresAt,
				keys: { p256dh: subscription.p256dh, auth: subscription.auth },
			},
			{ subject: env.VAPID_SUBJECT, publicKey: env.VAPID_PUBLIC_KEY, privateKey: env.VAPID_PRIVATE_KEY },
		);
		response = await fetch(subscription.endpoint, request);
	} catch (error) {
		console.warn(`notifier: push for ${where} failed: ${String(error)}`);
		return "failed";
	}
	await response.body?.cancel();
	if (response.ok) return "sent";
	// The subscription expired or the user revoked it: it will never work again.
	if (response.status === 404 || response.status === 410) return "gone";
	console.warn(`notifier: push service answered ${response.status} for ${where}`);
	return "failed";
}

/** Sends an event's notice to every subscription of its order that has not had it yet, each in its phone's language. */
async function notifyOne(env: Env, event: EdgeEvent): Promise<boolean> {
	const about = noticeFor(event);
	if (!about) return true;
	const subscriptions = await awaitingNotice(env, about.orderId, event.id);
	const outcomes = await Promise.all(
		subscriptions.map(async (subscription) => {
			const outcome = await send(env, subscription, noticeFor(event, subscription.lang) ?? about);
			if (outcome === "sent") await recordDelivery(env, subscription.id, event.id);
			if (outcome === "gone") await forget(env, subscription.id);
			return outcome;
		}),
	);
	return !outcomes.includes("failed");
}

async function notify(events: EdgeEvent[], env: Env): Promise<Set<string>> {
	const failed = new Set<string>();
	// A batch can carry the same event twice; sending both at once would beat the delivery record.
	const distinct = [...new Map(events.map((event) => [event.id, event])).values()];
	await Promise.all(
		distinct.map(async (event) => {
			try {
				if (!(await notifyOne(env, event))) failed.add(event.id);
			} catch (error) {
				console.error(`notifier: ${event.type} ${event.id} failed: ${String(error)}`);
				failed.add(event.id);
			}
		}),
	);
	return failed;
}

/** One consumer rule per event that ends an order; a failed push retries the event, a sent one is never repeated. */
export const notifierRules: Rule[] = noticeEvents.map((type) => ({ name: "notifier", pattern: type, handle: notify }));
