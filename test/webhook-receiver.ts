import { Webhook } from "standardwebhooks";
import type { WebhookPayload } from "#contract/webhooks.ts";
import { serveHost } from "./outside-hosts";

/**
 * An extension's endpoint, for tests: it takes the Worker's webhook POSTs and verifies each with the
 * `standardwebhooks` library (an implementation of the specification that is not ours), the way a real
 * receiver would, before it answers. A request that does not verify is refused and kept as a problem.
 */

const host = "hooks.receiver.test";

/** How the receiver answers a delivery: a status, a dropped connection, or never (until the sender gives up). */
export type Answer = number | "network" | "hang";

export interface Received {
	headers: Record<string, string>;
	/** The body exactly as it came: what a signature covers. */
	body: string;
	payload: WebhookPayload;
	answer: Answer;
}

export class WebhookReceiver {
	readonly url = `https://${host}/hooks/${crypto.randomUUID()}`;
	/** Every delivery that verified, with how it was answered. */
	readonly received: Received[] = [];
	/** Every delivery that did not. */
	readonly problems: string[] = [];
	/** The secret the receiver verifies with (the one the endpoint was registered with, or rotated to). */
	secret = "";
	#answers: Answer[] = [];
	#always: Answer | null = null;

	constructor() {
		listen(this);
	}

	/** Answers the next deliveries so, in turn; after them, 204 (or what `answerAlways` set). */
	answerNext(...answers: Answer[]): void {
		this.#answers.push(...answers);
	}

	answerAlways(answer: Answer | null): void {
		this.#always = answer;
	}

	/** Deliveries it accepted (2xx): what the extension acted on. */
	get accepted(): Received[] {
		return this.received.filter((r) => typeof r.answer === "number" && r.answer < 300);
	}

	async receive(request: Request): Promise<Response> {
		const body = await request.text();
		const headers = Object.fromEntries(request.headers);
		try {
			new Webhook(this.secret).verify(body, headers);
		} catch (error) {
			this.problems.push(String(error));
			return new Response("signature does not verify", { status: 401 });
		}
		const answer = this.#answers.shift() ?? this.#always ?? 204;
		this.received.push({ headers, body, payload: JSON.parse(body) as WebhookPayload, answer });
		if (answer === "network") throw new TypeError("Network connection lost.");
		if (answer === "hang") {
			return new Promise((_, reject) => request.signal.addEventListener("abort", () => reject(request.signal.reason)));
		}
		return new Response(null, { status: answer });
	}
}

const receivers = new Map<string, WebhookReceiver>();

/** Sends the Worker's requests to the receivers' host to them. */
function listen(receiver: WebhookReceiver): void {
	serveHost(host, async (request) => {
		const url = new URL(request.url);
		const target = receivers.get(`${url.origin}${url.pathname}`);
		return target ? target.receive(request) : new Response(null, { status: 404 });
	});
	receivers.set(receiver.url, receiver);
}
