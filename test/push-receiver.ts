import { PushNotice } from "#contract/push.ts";
import { serveHost } from "./outside-hosts";

/**
 * A push service and the browser behind it, for tests. A receiver makes a subscription the way a browser
 * does (an ECDH P-256 key pair and a 16-byte auth secret), takes the Worker's POST to its endpoint, checks
 * the VAPID authorization as a push service must (RFC 8292) and decrypts the body as the browser would
 * (RFC 8291 over RFC 8188). Its crypto is its own WebCrypto code, not the sending library's, so a wrong
 * encryption or signature shows up as a problem and no notice.
 */

const host = "push.receiver.test";
const utf8 = new TextEncoder();

export function toBase64url(bytes: ArrayBuffer | Uint8Array): string {
	return btoa(String.fromCharCode(...new Uint8Array(bytes)))
		.replaceAll("+", "-")
		.replaceAll("/", "_")
		.replace(/=+$/, "");
}

export function fromBase64url(text: string): Uint8Array<ArrayBuffer> {
	const base64 = text.replaceAll("-", "+").replaceAll("_", "/");
	return Uint8Array.from(atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4)), (c) => c.charCodeAt(0));
}

const concat = (...parts: Uint8Array[]): Uint8Array => {
	const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
	parts.reduce((at, part) => (out.set(part, at), at + part.length), 0);
	return out;
};

async function hkdf(salt: Uint8Array, ikm: ArrayBuffer, info: Uint8Array, bytes: number): Promise<ArrayBuffer> {
	const key = await crypto.subtle.importKey("raw", ikm, "HKDF", false, ["deriveBits"]);
	return crypto.subtle.deriveBits({ name: "HKDF", hash: "SHA-256", salt, info }, key, bytes * 8);
}

/** How the receiver answers a push: a status, or a dropped connection. */
export type Answer = number | "network";

export interface Push {
	answer: Answer;
	notice: PushNotice;
	ttl: number;
	urgency: string | null;
}

class Refusal extends Error {
	constructor(
		readonly status: number,
		message: string,
	) {
		super(message);
	}
}

export class PushReceiver {
	readonly endpoint = `https://${host}/wpush/${crypto.randomUUID()}`;
	/** Every push that passed the checks, with how it was answered. */
	readonly pushes: Push[] = [];
	/** Every push that failed them: a real service or browser would have dropped it. */
	readonly problems: string[] = [];
	#answers: Answer[] = [];

	private constructor(
		readonly applicationServerKey: string,
		private readonly keys: CryptoKeyPair,
		private readonly publicKey: Uint8Array<ArrayBuffer>,
		private readonly authSecret: Uint8Array<ArrayBuffer>,
	) {}

	/** Subscribes like `pushManager.subscribe({ applicationServerKey })`. */
	static async create(applicationServerKey: string): Promise<PushReceiver> {
		const keys = (await crypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, false, [
			"deriveBits",
		])) as CryptoKeyPair;
		const publicKey = new Uint8Array((await crypto.subtle.exportKey("raw", keys.publicKey)) as ArrayBuffer);
		const receiver = new PushReceiver(
			applicationServerKey,
			keys,
			publicKey,
			crypto.getRandomValues(new Uint8Array(16)),
		);
		listen(receiver);
		return receiver;
	}

	/** What `PushSubscription.toJSON()` gives. */
	subscription() {
		return {
			endpoint: this.endpoint,
			expirationTime: null,
			keys: { p256dh: toBase64url(this.publicKey), auth: toBase64url(this.authSecret) },
		};
	}

	/** The notices the browser would show: those the service accepted. */
	get notices(): PushNotice[] {
		return this.pushes.filter((push) => push.answer === 201).map((push) => push.notice);
	}

	/** Answers the next pushes so, in turn; after them, 201 Created. */
	answerNext(...answers: Answer[]): void {
		this.#answers.push(...answers);
	}

	async receive(request: Request): Promise<Response> {
		let push: Omit<Push, "answer">;
		try {
			push = await this.#check(request);
		} catch (error) {
			const refusal = error instanceof Refusal ? error : new Refusal(400, String(error));
			this.problems.push(refusal.message);
			return new Response(refusal.message, { status: refusal.status });
		}
		const answer = this.#answers.shift() ?? 201;
		this.pushes.push({ ...push, answer });
		if (answer === "network") throw new TypeError("Network connection lost.");
		return new Response(null, {
			status: answer,
			headers: answer === 201 ? { location: `${this.endpoint}/m/${crypto.randomUUID()}` } : {},
		});
	}

	async #check(request: Request): Promise<Omit<Push, "answer">> {
		if (request.method !== "POST") throw new Refusal(405, `method ${request.method}`);
		const ttl = Number(request.headers.get("ttl"));
		if (!request.headers.has("ttl") || !Number.isInteger(ttl) || ttl < 0)
			throw new Refusal(400, "RFC 8030: a push needs a TTL header");
		if (request.headers.get("content-encoding") !== "aes128gcm") {
			throw new Refusal(415, `content-encoding ${request.headers.get("content-encoding")}, not aes128gcm`);
		}
		await this.#checkVapid(request.headers.get("authorization"));
		const plaintext = await this.#decrypt(new Uint8Array(await request.arrayBuffer()));
		const notice = PushNotice.safeParse(JSON.parse(new TextDecoder().decode(plaintext)));
		if (!notice.success) throw new Refusal(400, `not a PushNotice: ${notice.error.message}`);
		return { notice: notice.data, ttl, urgency: request.headers.get("urgency") };
	}

	/** RFC 8292: `vapid t=<ES256 JWT>, k=<the key the subscription was made with>`. */
	async #checkVapid(header: string | null): Promise<void> {
		const match = /^vapid t=([\w-]+)\.([\w-]+)\.([\w-]+),\s*k=([\w-]+)$/.exec(header ?? "");
		if (!match) throw new Refusal(401, `authorization is not "vapid t=…, k=…": ${header}`);
		const [, head, body, signature, k] = match as unknown as [string, string, string, string, string];
		if (k !== this.applicationServerKey) throw new Refusal(403, "k is not the key this subscription was made with");
		const jose = JSON.parse(new TextDecoder().decode(fromBase64url(head)));
		if (jose.alg !== "ES256") throw new Refusal(401, `JWT alg ${jose.alg}, not ES256`);
		const key = await crypto.subtle.importKey("raw", fromBase64url(k), { name: "ECDSA", namedCurve: "P-256" }, false, [
			"verify",
		]);
		const signed = utf8.encode(`${head}.${body}`);
		if (!(await crypto.subtle.verify({ name: "ECDSA", hash: "SHA-256" }, key, fromBase64url(signature), signed))) {
			throw new Refusal(401, "the JWT's signature does not verify with k");
		}
		const claims = JSON.parse(new TextDecoder().decode(fromBase64url(body)));
		const now = Math.floor(Date.now() / 1000);
		if (claims.aud !== new URL(this.endpoint).origin)
			throw new Refusal(401, `aud ${claims.aud} is not the push service's origin`);
		if (!Number.isInteger(claims.exp) || claims.exp <= now) throw new Refusal(401, "the JWT has expired");
		if (claims.exp > now + 24 * 3600) throw new Refusal(401, "the JWT's exp is more than 24 hours ahead");
		if (typeof claims.sub !== "string" || !/^(mailto:|https:)/.test(claims.sub))
			throw new Refusal(401, `sub ${claims.sub} is no contact`);
	}

	/** RFC 8291 §3.4 key schedule, then the RFC 8188 record: one record, padding ending in the 0x02 delimiter. */
	async #decrypt(body: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
		if (body.length < 21 + 65 + 17) throw new Refusal(400, `body of ${body.length} bytes is too short`);
		const salt = body.slice(0, 16);
		const recordSize = new DataView(body.buffer, body.byteOffset + 16, 4).getUint32(0);
		const keyIdLength = body[20]!;
		if (keyIdLength !== 65)
			throw new Refusal(400, `keyid of ${keyIdLength} bytes is not the sender's P-256 public key`);
		const senderKey = body.slice(21, 21 + 65);
		const ciphertext = body.slice(21 + 65);
		if (ciphertext.length > recordSize) throw new Refusal(400, "RFC 8291 §4: a push message is a single record");
		const sender = await crypto.subtle.importKey("raw", senderKey, { name: "ECDH", namedCurve: "P-256" }, false, []);
		// workers-types spell the standard `public` member `$public`; the runtime reads `public`.
		const ecdh = { name: "ECDH", public: sender } as unknown as SubtleCryptoDeriveKeyAlgorithm;
		const shared = await crypto.subtle.deriveBits(ecdh, this.keys.privateKey, 256);
		const ikm = await hkdf(
			this.authSecret,
			shared,
			concat(utf8.encode("WebPush: info\0"), this.publicKey, senderKey),
			32,
		);
		const cek = await hkdf(salt, ikm, utf8.encode("Content-Encoding: aes128gcm\0"), 16);
		const nonce = await hkdf(salt, ikm, utf8.encode("Content-Encoding: nonce\0"), 12);
		const aes = await crypto.subtle.importKey("raw", cek, "AES-GCM", false, ["decrypt"]);
		let padded: Uint8Array;
		try {
			padded = new Uint8Array(await crypto.subtle.decrypt({ name: "AES-GCM", iv: nonce }, aes, ciphertext));
		} catch {
			throw new Refusal(400, "the body does not decrypt with this browser's keys");
		}
		let end = padded.length - 1;
		while (end >= 0 && padded[end] === 0) end--;
		if (padded[end] !== 0x02) throw new Refusal(400, "the record does not end with the last-record delimiter 0x02");
		return padded.slice(0, end);
	}
}

const receivers = new Map<string, PushReceiver>();

/** Sends the Worker's requests to the push service's host to its receivers. */
function listen(receiver: PushReceiver): void {
	serveHost(host, async (request) => {
		const url = new URL(request.url);
		const target = receivers.get(`${url.origin}${url.pathname}`);
		// Like a real push service, an endpoint it never issued is gone.
		return target ? target.receive(request) : new Response(null, { status: 410 });
	});
	receivers.set(receiver.endpoint, receiver);
}
