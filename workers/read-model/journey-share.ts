import { config } from "#contract/config.ts";
import { sameSecret } from "#contract/secrets.ts";
import { shareTokenPattern } from "#contract/journey.ts";

/**
 * Share links of an order's journey: a read-only token carrying the order id and the end of the archive's
 * retention, signed with HMAC-SHA256 under the session secret. The signed text is prefixed, so no token of
 * another kind (a session) can ever pass for one of these, nor one of these for a session.
 */

const purpose = "edgepresso-journey-share-v1";

const base64url = (bytes: ArrayBuffer) =>
	btoa(String.fromCharCode(...new Uint8Array(bytes)))
		.replaceAll("+", "-")
		.replaceAll("/", "_")
		.replace(/=+$/, "");

const keyOf = (secret: string) =>
	crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);

async function signature(env: Env, orderId: string, expiresAt: number): Promise<string> {
	const text = new TextEncoder().encode(`${purpose}.${orderId}.${expiresAt}`);
	return base64url(await crypto.subtle.sign("HMAC", await keyOf(env.SESSION_SECRET), text));
}

/** When a finished order's archive ends; an order still open counts from now (its link ends no later than its archive). */
export function retentionEnd(env: Env, finishedAt: string | null, now = Date.now()): number {
	return (finishedAt ? Date.parse(finishedAt) : now) + config(env).orderRetentionMs;
}

/** A token for `orderId` that stops working at `expiresAt` (epoch ms, rounded down to the second). */
export async function shareToken(env: Env, orderId: string, expiresAt: number): Promise<string> {
	const seconds = Math.floor(expiresAt / 1000);
	return `${orderId}.${seconds}.${await signature(env, orderId, seconds)}`;
}

/** The order id a token names, or null when it is malformed, forged or expired. */
export async function sharedOrder(env: Env, token: string, now = Date.now()): Promise<string | null> {
	if (!shareTokenPattern.test(token)) return null;
	const [orderId, seconds, signed] = token.split(".") as [string, string, string];
	if (!sameSecret(signed, await signature(env, orderId, Number(seconds)))) return null;
	return Number(seconds) * 1000 > now ? orderId : null;
}
