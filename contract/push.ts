import { z } from "zod";
import { EndReason, OrderState } from "./order";
import { Language } from "./store";

/**
 * Web Push, as the browser and the service worker see it: the subscription the order page sends after
 * `pushManager.subscribe({ applicationServerKey })`, and the notice the service worker receives and shows.
 */

/** Bytes of an unpadded (or padded) base64url string; null when it is not base64url. */
export function base64urlBytes(value: string): Uint8Array | null {
	if (!/^[A-Za-z0-9_-]*={0,2}$/.test(value)) return null;
	const base64 = value.replace(/=+$/, "").replaceAll("-", "+").replaceAll("_", "/");
	if (base64.length % 4 === 1) return null;
	return Uint8Array.from(atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4)), (c) => c.charCodeAt(0));
}

const base64url = (what: string, check: (bytes: Uint8Array) => boolean) =>
	z
		.string()
		.max(200)
		.refine((value) => {
			const bytes = base64urlBytes(value);
			return bytes !== null && check(bytes);
		}, `must be ${what}, base64url-encoded`);

/** What `PushSubscription.toJSON()` gives in every browser (RFC 8030 endpoint, RFC 8291 keys). */
export const PushSubscriptionBody = z
	.strictObject({
		endpoint: z
			.url({ protocol: /^https$/, hostname: z.regexes.domain, error: "must be the push service's https URL" })
			.max(1024)
			// Refinements run even when the URL check above failed, so parse defensively.
			.refine((url) => {
				const parsed = URL.canParse(url) ? new URL(url) : null;
				return parsed !== null && !parsed.username && !parsed.password;
			}, "must not carry credentials")
			// Push services listen on https's own port; another port on an allowed host is somewhere else.
			.refine(
				(url) => URL.canParse(url) && new URL(url).port === "",
				"must not name a port (push services use https's default)",
			)
			// The rules above as a pattern, for the OpenAPI document: https, a domain name, no credentials, no port.
			.meta({ pattern: "^https://([A-Za-z0-9-]+\\.)+[A-Za-z0-9-]+([/?#][^\\s]*)?$" }),
		/** Epoch milliseconds when the browser will drop the subscription, if it says. */
		expirationTime: z.number().nonnegative().nullable().optional(),
		keys: z.strictObject({
			/** The browser's ECDH public key: an uncompressed P-256 point (65 bytes, first 0x04). */
			p256dh: base64url("an uncompressed P-256 point (65 bytes)", (bytes) => bytes.length === 65 && bytes[0] === 0x04),
			/** The 16-byte authentication secret. */
			auth: base64url("16 bytes", (bytes) => bytes.length === 16),
		}),
		/** Not part of `toJSON()`: the language the phone shows, for the notices' words (English when absent). */
		lang: Language.optional(),
	})
	.meta({ id: "PushSubscription" });
export type PushSubscriptionBody = z.infer<typeof PushSubscriptionBody>;

export const PushKey = z
	.object({
		/** The VAPID public key, to pass as `applicationServerKey`: a raw P-256 point, base64url. */
		publicKey: z.string(),
	})
	.meta({ id: "PushKey" });

export const PushSubscribed = z.object({ orderId: z.string(), endpoint: z.string() }).meta({ id: "PushSubscribed" });

/** The JSON a push message carries: what the service worker shows, and where a tap takes the attendee. */
export const PushNotice = z
	.object({
		title: z.string(),
		body: z.string(),
		orderId: z.string(),
		storeId: z.string(),
		number: z.int().nullable(),
		state: OrderState,
		reason: EndReason.nullable(),
		/** A path on the app's own origin: the order's page. */
		url: z.string(),
	})
	.meta({ id: "PushNotice" });
export type PushNotice = z.infer<typeof PushNotice>;

/** The order page following one order: where a tapped notice opens. */
export function orderFollowPath(storeId: string, orderId: string): string {
	return `/order?store=${encodeURIComponent(storeId)}&order=${encodeURIComponent(orderId)}`;
}
