import { generateKeyPairSync } from "node:crypto";

/**
 * A Web Push (VAPID, RFC 8292) key pair on P-256, as the Worker reads it: the public key is the browser's
 * applicationServerKey (the raw uncompressed point, base64url), the private key its scalar `d` (base64url).
 */
export function vapidKeys() {
	const jwk = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "jwk" });
	const point = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x, "base64url"), Buffer.from(jwk.y, "base64url")]);
	return { VAPID_PUBLIC_KEY: point.toString("base64url"), VAPID_PRIVATE_KEY: jwk.d };
}

// `node scripts/vapid-keys.mjs` prints a fresh pair to give `wrangler secret put` in production.
if (import.meta.url === `file://${process.argv[1]}`) {
	for (const [name, value] of Object.entries(vapidKeys())) console.log(`${name}=${value}`);
}
