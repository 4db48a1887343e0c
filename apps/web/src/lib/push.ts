import { read } from "#client/api.ts";
import { attendeeApi, timeout } from "#lib/api.ts";
import { language } from "#lib/strings.ts";

/**
 * Web Push for "your drink is ready": the browser's permission, a push subscription under the server's VAPID
 * key, and the subscription handed to the order. Asked for only after the attendee has ordered, from a button
 * (browsers ignore permission requests that no tap started, and people refuse ones they don't understand yet).
 */

export type PushOutcome = "subscribed" | "denied" | "unsupported" | "failed";

export function pushSupported(): boolean {
	return "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
}

/** "granted", "denied" or "default" (not asked yet); "unsupported" where push can't work (iOS outside the Home Screen). */
export function pushPermission(): NotificationPermission | "unsupported" {
	return pushSupported() ? Notification.permission : "unsupported";
}

function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
	const base64 = base64url.replaceAll("-", "+").replaceAll("_", "/");
	const binary = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
	return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** Asks for permission (call it from a tap), subscribes this browser and tells the server which order, and in which language. */
export async function notifyWhenReady(orderId: string): Promise<PushOutcome> {
	if (!pushSupported()) return "unsupported";
	if ((await Notification.requestPermission()) !== "granted") return "denied";
	try {
		const registration = await navigator.serviceWorker.ready;
		const { publicKey } = await read(attendeeApi.api.push.key.$get(undefined, timeout()));
		const applicationServerKey = keyBytes(publicKey);
		let subscription = await registration.pushManager.getSubscription();
		const sameKey = subscription?.options.applicationServerKey
			? new Uint8Array(subscription.options.applicationServerKey).every((byte, i) => byte === applicationServerKey[i])
			: false;
		if (subscription && !sameKey) {
			// The server's key changed (a new deployment): the old subscription can't reach us any more.
			await subscription.unsubscribe();
			subscription = null;
		}
		subscription ??= await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey });
		const json = subscription.toJSON();
		await read(
			attendeeApi.api.orders[":id"].push.$post(
				{
					param: { id: orderId },
					json: {
						endpoint: json.endpoint!,
						expirationTime: json.expirationTime ?? null,
						keys: { p256dh: json.keys!.p256dh!, auth: json.keys!.auth! },
						lang: language(),
					},
				},
				timeout(),
			),
		);
		return "subscribed";
	} catch {
		return "failed";
	}
}
