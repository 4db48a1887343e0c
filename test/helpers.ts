import { createExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { expect } from "vitest";
import type { Order } from "#contract/order.ts";
import type { QrView, StoreView } from "#contract/store.ts";
import type { DeadLetter, DeadLetterList } from "../workers/events/dead-letters";
import worker from "../workers/index";
import { contractBreach } from "./contract";
import { until } from "./until";

/**
 * The env to hand the event consumer a batch a test made: the meter counts only what the queue itself
 * delivers, so that test/invariants.ts can weigh messages written against messages acknowledged.
 */
export const unmetered: Env = { ...env, METER: "off" };

/** Whatever admin token the Worker under test was given (.dev.vars locally, the vitest config in CI). */
export const adminToken = env.ADMIN_TOKEN;
export const baristaPin = "1234";
export const adminPin = "987654";
export const displayPin = "246810";

/** A reply's body: the success shape, or (on a refusal) the error shape; tests check which by status. */
export interface Reply<T = any> {
	status: number;
	body: T & { error: { code: string; message: string; details?: any } };
	headers: Headers;
	/** The body exactly as it came. */
	text: string;
}

/**
 * Calls the Worker the way a client over HTTP would; with `env`, the Worker runs with that environment
 * (a secret or var set that the test configuration leaves unset). A reply whose status or body the OpenAPI
 * document does not declare fails the test that made the request (test/contract.ts).
 */
export async function call<T = any>(
	method: string,
	path: string,
	options: { token?: string; body?: unknown; rawBody?: BodyInit; headers?: Record<string, string>; env?: Env } = {},
): Promise<Reply<T>> {
	const headers: Record<string, string> = { ...options.headers };
	if (options.token) headers.authorization = `Bearer ${options.token}`;
	let body: BodyInit | undefined = options.rawBody;
	if (options.body !== undefined) {
		headers["content-type"] ??= "application/json";
		body = JSON.stringify(options.body);
	}
	const request = new Request(`https://edgepresso.test${path}`, { method, headers, body });
	const incoming = request as Request<unknown, IncomingRequestCfProperties>;
	const response = options.env
		? await worker.fetch(incoming, options.env, createExecutionContext())
		: await exports.default.fetch(request);
	const text = await response.text();
	const breach = await contractBreach(method, path, response.status, response.headers.get("content-type"), text);
	if (breach) throw new Error(`The reply breaks the OpenAPI document: ${breach}`);
	let parsed: unknown = text;
	try {
		parsed = text ? JSON.parse(text) : null;
	} catch {
		// not JSON: the test will look at the text
	}
	return { status: response.status, body: parsed as Reply<T>["body"], headers: response.headers, text };
}

/** A write sent with an Idempotency-Key. */
export function keyed<T = any>(method: string, path: string, token: string, key: string, body?: unknown) {
	return call<T>(method, path, { token, body, headers: { "Idempotency-Key": key } });
}

let stores = 0;

/** A fresh store with a unique id; open unless told otherwise. */
export async function createStore(
	settings: Record<string, unknown> = {},
	extra: Record<string, unknown> = {},
): Promise<StoreView> {
	const id = `store-${++stores}-${crypto.randomUUID().slice(0, 8)}`;
	const reply = await call<StoreView>("POST", "/api/stores", {
		token: adminToken,
		body: {
			id,
			name: `Coffee ${id}`,
			settings: { open: true, ...settings },
			pins: { barista: baristaPin, admin: adminPin, display: displayPin },
			...extra,
		},
	});
	if (reply.status !== 201) throw new Error(`create store: ${reply.status} ${JSON.stringify(reply.body)}`);
	return reply.body;
}

export async function attendee(name?: string): Promise<{ token: string; userId: string }> {
	const reply = await call("POST", "/api/session", { body: name ? { name } : {} });
	if (reply.status !== 201) throw new Error(`session: ${reply.status} ${JSON.stringify(reply.body)}`);
	return reply.body;
}

export async function staff(storeId: string, pin = baristaPin, name = "Sam"): Promise<string> {
	const reply = await call("POST", `/api/stores/${storeId}/staff/session`, { body: { pin, name } });
	if (reply.status !== 200) throw new Error(`staff session: ${reply.status} ${JSON.stringify(reply.body)}`);
	return reply.body.token;
}

/** A display session: a barista of the store pairs it, and the display signs in with the code. */
export async function display(storeId: string, baristaToken?: string): Promise<string> {
	const pairing = await call<{ code: string }>("POST", `/api/stores/${storeId}/display/pairings`, {
		token: baristaToken ?? (await staff(storeId)),
	});
	if (pairing.status !== 201) throw new Error(`pairing: ${pairing.status} ${JSON.stringify(pairing.body)}`);
	const reply = await call("POST", `/api/stores/${storeId}/display/session`, { body: { code: pairing.body.code } });
	if (reply.status !== 200) throw new Error(`display session: ${reply.status} ${JSON.stringify(reply.body)}`);
	return reply.body.token;
}

export async function currentCode(storeId: string, token: string): Promise<QrView> {
	const reply = await call<QrView>("GET", `/api/stores/${storeId}/qr`, { token });
	if (reply.status !== 200) throw new Error(`qr: ${reply.status} ${JSON.stringify(reply.body)}`);
	return reply.body;
}

export function scan(storeId: string, token: string, code: string) {
	return call<{ orderId: string; expiresAt: string }>("POST", `/api/stores/${storeId}/scans`, {
		token,
		body: { code },
	});
}

/** An attendee who scanned the current code: an order AWAITING_ORDER. */
export async function admitted(storeId: string, baristaToken: string, name?: string) {
	const person = await attendee(name);
	const { code } = await currentCode(storeId, baristaToken);
	const reply = await scan(storeId, person.token, code);
	if (reply.status !== 201) throw new Error(`scan: ${reply.status} ${JSON.stringify(reply.body)}`);
	return { ...person, orderId: reply.body.orderId };
}

export function submit(orderId: string, token: string, body: unknown = { drink: "latte", options: { milk: "oat" } }) {
	return call<{ order: Order }>("PUT", `/api/orders/${orderId}`, { token, body });
}

export function act(orderId: string, action: string, token: string) {
	return call<{ order: Order }>("POST", `/api/orders/${orderId}/${action}`, { token });
}

/** Waits until the D1 read model holds the order at `version` or later. */
export async function projected(orderId: string, version: number) {
	return until(async () => {
		const row = await env.DB.prepare(`SELECT * FROM orders WHERE id = ?`).bind(orderId).first<Record<string, any>>();
		return row && row.version >= version ? row : null;
	}, 50);
}

/** Every row on the dead-letter shelf, read page by page through the admin API. */
export async function deadLetters(): Promise<DeadLetter[]> {
	const rows: DeadLetter[] = [];
	for (let after = 0; ;) {
		const page = await call<DeadLetterList>("GET", `/api/admin/dead-letters?after=${after}&limit=100`, {
			token: adminToken,
		});
		expect(page.status).toBe(200);
		rows.push(...page.body.deadLetters);
		if (page.body.deadLetters.length < 100) return rows;
		after = page.body.deadLetters.at(-1)!.id;
	}
}
