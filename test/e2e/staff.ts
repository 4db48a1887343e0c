import { inject } from "vitest";
import type { EdgeEvent } from "#contract/events.ts";
import type { Order } from "#contract/order.ts";
import type { StoreView } from "#contract/store.ts";
import { socketProtocol } from "#contract/live.ts";
import type { TailMessage } from "#contract/tail.ts";

/**
 * What the browser suite does through the API rather than a screen: creating the stores each scenario starts
 * from (the admin scenario creates its own through the admin screen), what other people do meanwhile (another
 * barista, attendees), and what the API says happened.
 */

const origin = () => inject("origin");

async function call<T = any>(method: string, path: string, token?: string, body?: unknown): Promise<T> {
	const response = await fetch(`${origin()}${path}`, {
		method,
		headers: {
			...(token ? { authorization: `Bearer ${token}` } : {}),
			...(body === undefined ? {} : { "content-type": "application/json" }),
		},
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const reply = await response.json();
	if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(reply)}`);
	return reply as T;
}

export const baristaPin = "1234";
export const displayPin = "2468";
let stores = 0;

/** A fresh open store with the default menu; long code windows so a test never meets a rotation. */
export async function createStore(settings: Record<string, unknown> = {}): Promise<string> {
	const id = `e2e-${++stores}-${crypto.randomUUID().slice(0, 6)}`;
	await call("POST", "/api/stores", inject("adminToken"), {
		id,
		name: `Keynote Coffee ${stores}`,
		pins: { barista: baristaPin, admin: "987654", display: displayPin },
		settings: { open: true, codeWindowSeconds: 900, drinksPerCode: 10, customerTimeoutSeconds: 300, ...settings },
	});
	return id;
}

/** A fresh venue event of the given stores (its bars), in their order. */
export async function createVenueEvent(name: string, stores: string[]): Promise<string> {
	const id = `e2e-event-${crypto.randomUUID().slice(0, 6)}`;
	await call("PUT", `/api/venue-events/${id}`, inject("adminToken"), { name, timeZone: "UTC", dailyLimit: 3 });
	for (const store of stores) await call("PUT", `/api/venue-events/${id}/stores/${store}`, inject("adminToken"));
	return id;
}

/** Another barista, working from their own tablet (through the API): the session's token. */
export async function baristaSession(storeId: string, name: string): Promise<string> {
	return (
		await call<{ token: string }>("POST", `/api/stores/${storeId}/staff/session`, undefined, { pin: baristaPin, name })
	).token;
}

export async function orderOf(orderId: string, token: string): Promise<Order> {
	return (await call<{ order: Order }>("GET", `/api/orders/${orderId}`, token)).order;
}

export async function act(
	orderId: string,
	move: "claim" | "unclaim" | "complete" | "cancel" | "remind",
	token: string,
): Promise<Order> {
	return (await call<{ order: Order }>("POST", `/api/orders/${orderId}/${move}`, token)).order;
}

export async function walkUp(
	storeId: string,
	token: string,
	choice: { drink: string; options?: Record<string, string | string[]>; name?: string },
): Promise<Order> {
	return (await call<{ order: Order }>("POST", `/api/stores/${storeId}/walk-ups`, token, { options: {}, ...choice }))
		.order;
}

/** An attendee who scanned the current code and ordered, as a phone would (without one). */
export async function attendeeOrder(
	storeId: string,
	staffToken: string,
	choice: { drink: string; options?: Record<string, string | string[]>; name?: string },
): Promise<Order> {
	const { code } = await call<{ code: string }>("GET", `/api/stores/${storeId}/qr`, staffToken);
	const { token } = await call<{ token: string }>("POST", "/api/session", undefined, {});
	const { orderId } = await call<{ orderId: string }>("POST", `/api/stores/${storeId}/scans`, token, { code });
	return (await call<{ order: Order }>("PUT", `/api/orders/${orderId}`, token, { options: {}, ...choice })).order;
}

/** A barista pausing or resuming new orders, as the tablet's switch does. */
export async function setPaused(storeId: string, token: string, paused: boolean): Promise<void> {
	await call("PATCH", `/api/stores/${storeId}`, token, { paused });
}

export async function storeOrders(storeId: string, token: string): Promise<Order[]> {
	return (await call<{ orders: Order[] }>("GET", `/api/stores/${storeId}/orders?limit=100`, token)).orders;
}

/** An admin's change to the store's settings. */
export async function patchStore(storeId: string, change: Record<string, unknown>): Promise<StoreView> {
	return call<StoreView>("PATCH", `/api/stores/${storeId}`, inject("adminToken"), change);
}

export async function storeView(storeId: string): Promise<StoreView> {
	return call<StoreView>("GET", `/api/stores/${storeId}`);
}

export async function currentCode(storeId: string, token: string): Promise<string> {
	return (await call<{ url: string }>("GET", `/api/stores/${storeId}/qr`, token)).url;
}

/**
 * The events the system archives (what D1's `order_events` receives), as they come: an operator's live tail
 * of one store. `ofOrder` lists the types one order went through.
 */
export async function tailEvents(storeId: string): Promise<{ ofOrder(orderId: string): string[]; close(): void }> {
	const url = new URL(`/api/admin/events/ws?store=${storeId}`, origin());
	url.protocol = "ws:";
	const socket = new WebSocket(url, [socketProtocol, inject("adminToken")]);
	const events: EdgeEvent[] = [];
	await new Promise<void>((resolve, reject) => {
		socket.addEventListener("message", (message) => {
			const data = JSON.parse(String(message.data)) as TailMessage;
			if (data.type === "hello") resolve();
			else events.push(...data.events);
		});
		socket.addEventListener("error", () => reject(new Error("the event tail did not open")));
	});
	return {
		ofOrder: (orderId) => events.filter((event) => event.orderId === orderId).map((event) => event.type),
		close: () => socket.close(),
	};
}

/** Attendees admitted at once through the API, the way one person with many fresh sessions would: their order ids. */
export async function admitAtOnce(storeId: string, count: number): Promise<string[]> {
	const { token } = await call<{ token: string }>("POST", `/api/stores/${storeId}/staff/session`, undefined, {
		pin: baristaPin,
	});
	const { code } = await call<{ code: string }>("GET", `/api/stores/${storeId}/qr`, token);
	const sessions = await Promise.all(
		Array.from({ length: count }, () => call<{ token: string }>("POST", "/api/session", undefined, {})),
	);
	const scans = await Promise.all(
		sessions.map((s) => call<{ orderId: string }>("POST", `/api/stores/${storeId}/scans`, s.token, { code })),
	);
	return scans.map((s) => s.orderId);
}

/** The current code's drinks left, as staff see it. */
export async function tokensLeft(storeId: string): Promise<number> {
	const { token } = await call<{ token: string }>("POST", `/api/stores/${storeId}/staff/session`, undefined, {
		pin: baristaPin,
	});
	return (await call<{ tokensLeft: number }>("GET", `/api/stores/${storeId}/qr`, token)).tokensLeft;
}
