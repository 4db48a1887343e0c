import { inject } from "vitest";

/**
 * What the browser suite does through the API rather than a screen: creating the stores each scenario starts
 * from (the admin scenario creates its own through the admin screen).
 */

const origin = () => inject("origin");

async function call<T = any>(method: string, path: string, token?: string, body?: unknown): Promise<T> {
	const response = await fetch(`${origin()}${path}`, {
		method,
		headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { "content-type": "application/json" }) },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const reply = await response.json();
	if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(reply)}`);
	return reply as T;
}

export const baristaPin = "1234";
let stores = 0;

/** A fresh open store with the default menu; long code windows so a test never meets a rotation. */
export async function createStore(settings: Record<string, unknown> = {}): Promise<string> {
	const id = `e2e-${++stores}-${crypto.randomUUID().slice(0, 6)}`;
	await call("POST", "/api/stores", inject("adminToken"), {
		id,
		name: `Keynote Coffee ${stores}`,
		pins: { barista: baristaPin, admin: "987654" },
		settings: { open: true, codeWindowSeconds: 900, drinksPerCode: 10, customerTimeoutSeconds: 300, ...settings },
	});
	return id;
}

/** Attendees admitted at once through the API, the way one person with many fresh sessions would: their order ids. */
export async function admitAtOnce(storeId: string, count: number): Promise<string[]> {
	const { token } = await call<{ token: string }>("POST", `/api/stores/${storeId}/staff/session`, undefined, { pin: baristaPin });
	const { code } = await call<{ code: string }>("GET", `/api/stores/${storeId}/qr`, token);
	const sessions = await Promise.all(Array.from({ length: count }, () => call<{ token: string }>("POST", "/api/session", undefined, {})));
	const scans = await Promise.all(sessions.map((s) => call<{ orderId: string }>("POST", `/api/stores/${storeId}/scans`, s.token, { code })));
	return scans.map((s) => s.orderId);
}

/** The current code's drinks left, as staff see it. */
export async function tokensLeft(storeId: string): Promise<number> {
	const { token } = await call<{ token: string }>("POST", `/api/stores/${storeId}/staff/session`, undefined, { pin: baristaPin });
	return (await call<{ tokensLeft: number }>("GET", `/api/stores/${storeId}/qr`, token)).tokensLeft;
}
