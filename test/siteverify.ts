import { vi } from "vitest";

/**
 * Cloudflare Turnstile, for tests: the widget's side hands out tokens as it would to a page (solved on a
 * hostname, for an action), and the siteverify endpoint answers the Worker's verification as the real one
 * does. A POST with `secret`, `response`, and optionally `remoteip` and `idempotency_key`, form-encoded or
 * JSON, gets JSON `{ success, "error-codes", challenge_ts, hostname, action, cdata }`, always with status
 * 200. A token verifies once: asking again answers `timeout-or-duplicate`, unless the request repeats the
 * first one's idempotency key, which gets the first answer again; a token older than 300 s has timed out.
 */

const host = "siteverify.turnstile.test";
export const siteverifyUrl = `https://${host}/turnstile/v0/siteverify`;
const validMs = 300_000;

interface Issued {
	hostname: string;
	action: string;
	solvedAt: number;
	/** The first verification's idempotency key and answer, once it was verified. */
	spent: { key: string | null; answer: object } | null;
}

/** What the Worker sent, as the service saw it. */
export interface Verification {
	secret: string | null;
	response: string | null;
	remoteip: string | null;
	idempotencyKey: string | null;
}

export class TurnstileService {
	readonly secret = `0x4AAA-test-secret-${crypto.randomUUID()}`;
	readonly siteKey = "0x4AAA-test-site-key";
	readonly verifications: Verification[] = [];
	#tokens = new Map<string, Issued>();
	#loseAnswers = 0;
	#down = false;

	private constructor() {}

	static create(): TurnstileService {
		const service = new TurnstileService();
		listen(service);
		return service;
	}

	/** A token as the widget gives it to a page that solved the challenge, `secondsAgo` ago. */
	solve(options: { hostname?: string; action?: string; secondsAgo?: number } = {}): string {
		const token = `XXXX.${crypto.randomUUID()}.${crypto.randomUUID()}`;
		this.#tokens.set(token, {
			hostname: options.hostname ?? "edgepresso.test",
			action: options.action ?? "session",
			solvedAt: Date.now() - (options.secondsAgo ?? 0) * 1000,
			spent: null,
		});
		return token;
	}

	/** The next verification is processed, but its answer is lost on the way back (a dropped connection). */
	loseNextAnswer(): void {
		this.#loseAnswers++;
	}

	/** While down, the service answers 503 to everything. */
	setDown(down: boolean): void {
		this.#down = down;
	}

	async receive(request: Request): Promise<Response> {
		if (this.#down) return new Response("unavailable", { status: 503 });
		const body = await this.#read(request);
		if (!body) return Response.json(this.#failure("bad-request"));
		const asked: Verification = {
			secret: body.get("secret"),
			response: body.get("response"),
			remoteip: body.get("remoteip"),
			idempotencyKey: body.get("idempotency_key"),
		};
		this.verifications.push(asked);
		const answer = this.#verify(asked);
		if (this.#loseAnswers > 0) {
			this.#loseAnswers--;
			throw new TypeError("Network connection lost.");
		}
		return Response.json(answer);
	}

	#verify({ secret, response, idempotencyKey }: Verification): object {
		if (!secret) return this.#failure("missing-input-secret");
		if (secret !== this.secret) return this.#failure("invalid-input-secret");
		if (!response) return this.#failure("missing-input-response");
		const issued = response.length <= 2048 ? this.#tokens.get(response) : undefined;
		if (!issued) return this.#failure("invalid-input-response");
		if (issued.spent)
			return idempotencyKey && issued.spent.key === idempotencyKey
				? issued.spent.answer
				: this.#failure("timeout-or-duplicate");
		if (Date.now() - issued.solvedAt > validMs) return this.#failure("timeout-or-duplicate");
		const answer = {
			success: true,
			"error-codes": [],
			challenge_ts: new Date(issued.solvedAt).toISOString(),
			hostname: issued.hostname,
			action: issued.action,
			cdata: "",
			metadata: { interactive: false },
		};
		issued.spent = { key: idempotencyKey, answer };
		return answer;
	}

	#failure(code: string): object {
		return { success: false, "error-codes": [code], messages: [] };
	}

	/** The body as siteverify takes it: form-encoded, multipart or JSON. */
	async #read(request: Request): Promise<{ get(name: string): string | null } | null> {
		if (request.method !== "POST") return null;
		const type = request.headers.get("content-type") ?? "";
		try {
			if (type.startsWith("application/json")) {
				const json = (await request.json()) as Record<string, unknown>;
				return { get: (name) => (typeof json[name] === "string" ? (json[name] as string) : null) };
			}
			if (type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/form-data")) {
				const form = await request.formData();
				return { get: (name) => (typeof form.get(name) === "string" ? (form.get(name) as string) : null) };
			}
		} catch {
			// unreadable: a bad request
		}
		return null;
	}
}

let service: TurnstileService | null = null;

/** Sends the Worker's requests to siteverify's host to the service (the Worker runs in this isolate); anything else goes out as usual. */
function listen(next: TurnstileService): void {
	if (!service) {
		const network = globalThis.fetch;
		vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
			const url = new URL(input instanceof Request ? input.url : input);
			return url.host === host ? service!.receive(new Request(input, init)) : network(input, init);
		});
	}
	service = next;
}
