import { buildPushPayload } from "@block65/webcrypto-web-push";
import { createExecutionContext, createMessageBatch, getQueueResult, runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createEvent } from "#contract/events.ts";
import type { Order } from "#contract/order.ts";
import { orderFollowPath } from "#contract/push.ts";
import worker from "../workers/index";
import { act, admitted, attendee, call, createStore, staff, submit, unmetered } from "./helpers";
import { fromBase64url, PushReceiver, toBase64url, type Answer } from "./push-receiver";
import { until } from "./until";

/** The key a browser fetches before `pushManager.subscribe`. */
async function applicationServerKey(): Promise<string> {
	const reply = await call<{ publicKey: string }>("GET", "/api/push/key");
	expect(reply.status).toBe(200);
	return reply.body.publicKey;
}

function subscribe(orderId: string, token: string, body: unknown) {
	return call("POST", `/api/orders/${orderId}/push`, { token, body });
}

/** An attendee with a queued latte (unless told otherwise), subscribed to its notices from a fresh browser. */
async function subscribedOrder(options: { submitted?: boolean } = {}) {
	const store = await createStore();
	const barista = await staff(store.id);
	const me = await admitted(store.id, barista, "Ada Lovelace");
	const number = options.submitted === false ? null : (await submit(me.orderId, me.token)).body.order.number;
	const browser = await PushReceiver.create(await applicationServerKey());
	expect((await subscribe(me.orderId, me.token, browser.subscription())).status).toBe(201);
	return { store, barista, ...me, number, browser };
}

const subscriptions = (orderId: string) =>
	env.DB.prepare(`SELECT * FROM push_subscriptions WHERE order_id = ?`)
		.bind(orderId)
		.all<Record<string, any>>()
		.then((r) => r.results);

const deliveries = (orderId: string) =>
	env.DB.prepare(
		`SELECT d.* FROM push_deliveries d JOIN push_subscriptions s ON s.id = d.subscription_id WHERE s.order_id = ?`,
	)
		.bind(orderId)
		.all()
		.then((r) => r.results);

const firstNotice = (browser: PushReceiver) => until(() => browser.notices[0]);

/** The order's archived event of this type, once the consumer has handled it. */
async function archivedEvent(orderId: string, type: string): Promise<unknown> {
	const row = await until(() =>
		env.DB.prepare(`SELECT envelope FROM order_events WHERE order_id = ? AND type = ?`)
			.bind(orderId, type)
			.first<{ envelope: string }>(),
	);
	return JSON.parse(row.envelope);
}

/** A completion event for an order the barista never really completed: only this test's deliveries carry it. */
async function syntheticCompletion(orderId: string, token: string) {
	const {
		position: _,
		etaSeconds: __,
		...order
	} = (await call<{ order: Order }>("GET", `/api/orders/${orderId}`, { token })).body.order;
	const now = Date.now();
	const ready = {
		...order,
		state: "READY" as const,
		version: order.version + 2,
		finishedAt: new Date(now).toISOString(),
		expiresAt: null,
	};
	return createEvent("OrderManager.OrderCompleted", { storeId: order.storeId, orderId, time: now }, { order: ready });
}

let sequence = 0;
/** One queue delivery of these bodies, run to its end: what the consumer acked and what it will retry. */
async function deliver(bodies: unknown[], attempts = 1) {
	const batch = createMessageBatch(
		"edgepresso-events",
		bodies.map((body) => ({ id: `push-${++sequence}`, timestamp: new Date(), attempts, body })),
	);
	const ctx = createExecutionContext();
	await worker.queue(batch, unmetered);
	return getQueueResult(batch, ctx);
}

describe("Web Push notices", () => {
	it("gives the browser the VAPID public key to subscribe with", async () => {
		const key = await applicationServerKey();
		expect(key).toBe(env.VAPID_PUBLIC_KEY);
		expect(fromBase64url(key)).toHaveLength(65);
		await crypto.subtle.importKey("raw", fromBase64url(key), { name: "ECDSA", namedCurve: "P-256" }, false, ["verify"]);
	});

	it("tells the attendee's phone the drink is ready, with the order number", async () => {
		const { barista, orderId, number, browser, store } = await subscribedOrder();
		await act(orderId, "claim", barista);
		await act(orderId, "complete", barista);
		expect(await firstNotice(browser)).toEqual({
			title: `Your Latte is ready — order #${number}`,
			body: "Collect it at the bar: the cup says Ada Lovelace.",
			orderId,
			storeId: store.id,
			number,
			state: "READY",
			reason: null,
			url: orderFollowPath(store.id, orderId),
		});
		expect(browser.problems).toEqual([]);
		expect(browser.pushes[0]).toMatchObject({ urgency: "high", ttl: 3600 });
	});

	it("wakes the phone again each time the barista calls for a drink still waiting at the bar", async () => {
		const { barista, orderId, number, browser } = await subscribedOrder();
		await act(orderId, "claim", barista);
		await act(orderId, "complete", barista);
		await firstNotice(browser);
		expect((await call("POST", `/api/orders/${orderId}/remind`, { token: barista })).status).toBe(200);
		const again = await until(() => browser.notices[1]);
		expect(again).toMatchObject({
			title: `Your Latte is waiting for you — order #${number}`,
			body: "The barista is calling for you. Collect it at the bar: the cup says Ada Lovelace.",
			orderId,
			state: "READY",
		});
		expect(browser.pushes[1]).toMatchObject({ urgency: "high" });
		expect(browser.problems).toEqual([]);
	});

	type Ending = Awaited<ReturnType<typeof subscribedOrder>>;
	it.each<[string, { submitted: boolean }, (o: Ending) => Promise<unknown>, RegExp, RegExp]>([
		[
			"customer",
			{ submitted: true },
			(o) => act(o.orderId, "cancel", o.token),
			/^Your Latte was cancelled — order #\d+$/,
			/^You cancelled your Latte\./,
		],
		[
			"barista",
			{ submitted: true },
			(o) => act(o.orderId, "cancel", o.barista),
			/^Your Latte was cancelled — order #\d+$/,
			/^The barista cancelled your Latte\. Please ask at the bar\.$/,
		],
		[
			"store_closed",
			{ submitted: true },
			(o) =>
				call("PATCH", `/api/stores/${o.store.id}`, { token: o.barista, body: { open: false, cancelOpenOrders: true } }),
			/^Your Latte was cancelled — order #\d+$/,
			/^The coffee bar closed before your Latte could be made\./,
		],
		[
			"customer_timeout",
			{ submitted: false },
			(o) => runDurableObjectAlarm(env.ORDER.getByName(o.orderId)),
			/^Your order expired$/,
			/did not choose a drink in time/,
		],
		[
			"barista_timeout",
			{ submitted: true },
			(o) => runDurableObjectAlarm(env.ORDER.getByName(o.orderId)),
			/^Sorry, your Latte was not made in time — order #\d+$/,
			/^Please ask at the bar\.$/,
		],
	])("explains an order that ended without a drink (%s)", async (reason, setup, end, title, body) => {
		const order = await subscribedOrder(setup);
		await end(order);
		const notice = await firstNotice(order.browser);
		expect(notice).toMatchObject({
			reason,
			state: reason.endsWith("timeout") ? "TIMED_OUT" : "CANCELLED",
			number: order.number,
			orderId: order.orderId,
		});
		expect(notice.title).toMatch(title);
		expect(notice.body).toMatch(body);
		expect(order.browser.pushes[0]).toMatchObject({ urgency: "normal" });
	});

	it("writes each notice in the language of the phone that subscribed, English when it did not say", async () => {
		const { barista, orderId, token, number, browser } = await subscribedOrder();
		const portuguese = await PushReceiver.create(await applicationServerKey());
		const japanese = await PushReceiver.create(await applicationServerKey());
		expect((await subscribe(orderId, token, { ...portuguese.subscription(), lang: "pt" })).status).toBe(201);
		expect((await subscribe(orderId, token, { ...japanese.subscription(), lang: "ja" })).status).toBe(201);
		await act(orderId, "claim", barista);
		await act(orderId, "complete", barista);
		expect(await firstNotice(portuguese)).toMatchObject({
			title: `Pedido nº ${number} está pronto: Latte`,
			body: "Retire no balcão: o copo diz Ada Lovelace.",
			state: "READY",
		});
		expect(await firstNotice(japanese)).toMatchObject({
			title: `${number}番のご注文（Latte）ができあがりました`,
			body: "カウンターでお受け取りください。カップのお名前：Ada Lovelace",
		});
		expect((await firstNotice(browser)).title).toBe(`Your Latte is ready — order #${number}`);
		expect((await call("POST", `/api/orders/${orderId}/remind`, { token: barista })).status).toBe(200);
		expect((await until(() => portuguese.notices[1])).title).toBe(`Pedido nº ${number} está esperando por você: Latte`);
		expect([...portuguese.problems, ...japanese.problems]).toEqual([]);
	});

	it("refuses a language it does not speak, and stores nothing", async () => {
		const { orderId, token } = await subscribedOrder();
		const other = await PushReceiver.create(await applicationServerKey());
		const refused = await subscribe(orderId, token, { ...other.subscription(), lang: "xx" });
		expect(refused.status).toBe(400);
		expect(refused.body).toMatchObject({ error: { code: "invalid_request" } });
		expect(await subscriptions(orderId)).toHaveLength(1);
	});

	it("sends every browser the attendee subscribed, and refreshes the keys of one that subscribes again", async () => {
		const { barista, orderId, token, browser } = await subscribedOrder();
		const phone = await PushReceiver.create(await applicationServerKey());
		const stale = {
			...phone.subscription(),
			keys: (await PushReceiver.create(await applicationServerKey())).subscription().keys,
		};
		expect((await subscribe(orderId, token, stale)).status).toBe(201);
		expect((await subscribe(orderId, token, phone.subscription())).status).toBe(201);
		expect(await subscriptions(orderId)).toHaveLength(2);
		await act(orderId, "claim", barista);
		await act(orderId, "complete", barista);
		expect((await firstNotice(phone)).state).toBe("READY");
		expect((await firstNotice(browser)).state).toBe("READY");
		expect(phone.problems).toEqual([]);
	});

	it("stops notifying a browser that unsubscribed", async () => {
		const { barista, orderId, token, browser } = await subscribedOrder();
		const other = await PushReceiver.create(await applicationServerKey());
		expect((await subscribe(orderId, token, other.subscription())).status).toBe(201);
		const stranger = await attendee();
		const path = `/api/orders/${orderId}/push?endpoint=${encodeURIComponent(browser.endpoint)}`;
		expect((await call("DELETE", path, { token: stranger.token })).status).toBe(404);
		expect((await call("DELETE", path, { token })).status).toBe(204);
		await act(orderId, "claim", barista);
		await act(orderId, "complete", barista);
		await firstNotice(other);
		// Run the consumer over the event to its end once more: still nothing for the unsubscribed browser.
		await deliver([await archivedEvent(orderId, "OrderManager.OrderCompleted")]);
		expect(browser.pushes).toEqual([]);
	});
});

describe("Web Push delivery", () => {
	it.each([404, 410])("forgets a subscription the push service answers %i for, without retrying", async (status) => {
		const { orderId, token, browser } = await subscribedOrder();
		browser.answerNext(status);
		const result = await deliver([await syntheticCompletion(orderId, token)]);
		expect(result.retryMessages).toEqual([]);
		expect(result.explicitAcks).toHaveLength(1);
		expect(browser.pushes.map((p) => p.answer)).toEqual([status]);
		expect(await subscriptions(orderId)).toEqual([]);
	});

	it.each<Answer>([500, 429, "network"])(
		"retries the event when the push service fails (%s) and delivers it later",
		async (failure) => {
			const { orderId, token, browser } = await subscribedOrder();
			browser.answerNext(failure);
			const event = await syntheticCompletion(orderId, token);
			const first = await deliver([event], 1);
			expect(first.retryMessages).toHaveLength(1);
			expect(browser.notices).toEqual([]);
			const second = await deliver([event], 2);
			expect(second.retryMessages).toEqual([]);
			expect(browser.pushes.map((p) => p.answer)).toEqual([failure, 201]);
			expect(browser.notices).toHaveLength(1);
			expect(await subscriptions(orderId)).toHaveLength(1);
		},
	);

	it("gets the notice through when the queue retries after a 500", async () => {
		const { barista, orderId, browser } = await subscribedOrder();
		browser.answerNext(500);
		await act(orderId, "claim", barista);
		await act(orderId, "complete", barista);
		await firstNotice(browser);
		expect(browser.pushes.map((p) => p.answer)).toEqual([500, 201]);
	});

	it("does not push twice when the queue delivers the event again", async () => {
		const { barista, orderId, browser } = await subscribedOrder();
		await act(orderId, "claim", barista);
		await act(orderId, "complete", barista);
		await firstNotice(browser);
		await until(() => deliveries(orderId).then((rows) => rows.length > 0));
		const again = await deliver([await archivedEvent(orderId, "OrderManager.OrderCompleted")], 2);
		expect(again.explicitAcks).toHaveLength(1);
		expect(browser.pushes).toHaveLength(1);
	});

	it("pushes once for an event that arrives twice in one batch", async () => {
		const { orderId, token, browser } = await subscribedOrder();
		const event = await syntheticCompletion(orderId, token);
		const result = await deliver([event, event]);
		expect(result.explicitAcks).toHaveLength(2);
		expect(browser.pushes).toHaveLength(1);
		expect(await deliveries(orderId)).toHaveLength(1);
	});

	it("drops a subscription the browser said had expired instead of sending to it", async () => {
		const store = await createStore();
		const me = await admitted(store.id, await staff(store.id));
		await submit(me.orderId, me.token);
		const browser = await PushReceiver.create(await applicationServerKey());
		expect(
			(await subscribe(me.orderId, me.token, { ...browser.subscription(), expirationTime: Date.now() - 1000 })).status,
		).toBe(201);
		const result = await deliver([await syntheticCompletion(me.orderId, me.token)]);
		expect(result.explicitAcks).toHaveLength(1);
		expect(browser.pushes).toEqual([]);
		expect(await subscriptions(me.orderId)).toEqual([]);
	});
});

describe("push endpoints stored before the rules were strict", () => {
	it("are never posted to: a subscription naming a port is dropped instead", async () => {
		const store = await createStore();
		const me = await admitted(store.id, await staff(store.id));
		await submit(me.orderId, me.token);
		const browser = await PushReceiver.create(await applicationServerKey());
		const { keys } = browser.subscription();
		await env.DB.prepare(
			`INSERT INTO push_subscriptions (order_id, user_id, endpoint, p256dh, auth, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 0, 0)`,
		)
			.bind(
				me.orderId,
				me.userId,
				`${browser.endpoint.replace("push.receiver.test", "push.receiver.test:8443")}`,
				keys.p256dh,
				keys.auth,
			)
			.run();
		const result = await deliver([await syntheticCompletion(me.orderId, me.token)]);
		expect(result.explicitAcks).toHaveLength(1);
		expect(browser.pushes).toEqual([]);
		expect(await subscriptions(me.orderId)).toEqual([]);
	});
});

describe("subscribing", () => {
	it("lets only the order's attendee subscribe", async () => {
		const store = await createStore();
		const barista = await staff(store.id);
		const me = await admitted(store.id, barista);
		const browser = await PushReceiver.create(await applicationServerKey());
		const body = browser.subscription();
		const stranger = await attendee();
		const refused = await subscribe(me.orderId, stranger.token, body);
		expect([refused.status, refused.body.error.code]).toEqual([404, "order_not_found"]);
		expect((await subscribe(me.orderId, barista, body)).status).toBe(403);
		expect((await call("POST", `/api/orders/${me.orderId}/push`, { body })).status).toBe(401);
		expect((await subscribe(crypto.randomUUID(), me.token, body)).status).toBe(404);
		expect(await subscriptions(me.orderId)).toEqual([]);
		expect((await subscribe(me.orderId, me.token, body)).status).toBe(201);
	});

	type Subscription = ReturnType<PushReceiver["subscription"]>;
	const withKeys = (s: Subscription, keys: Partial<Subscription["keys"]>) => ({ ...s, keys: { ...s.keys, ...keys } });
	it.each<[string, (valid: Subscription) => unknown, RegExp]>([
		["a plain-http endpoint", (s) => ({ ...s, endpoint: s.endpoint.replace("https:", "http:") }), /^endpoint: /],
		["an endpoint on an IP address", (s) => ({ ...s, endpoint: "https://10.0.0.1/push" }), /^endpoint: /],
		["no keys", ({ keys: _, ...s }) => s, /^keys: /],
		[
			"a compressed point",
			(s) => withKeys(s, { p256dh: toBase64url(Uint8Array.of(0x02, ...fromBase64url(s.keys.p256dh).slice(1, 33))) }),
			/^keys\.p256dh: /,
		],
		[
			"a point that is not on the curve",
			(s) => withKeys(s, { p256dh: toBase64url(Uint8Array.of(0x04, ...new Uint8Array(64).fill(7))) }),
			/^keys\.p256dh: /,
		],
		["a 15-byte auth secret", (s) => withKeys(s, { auth: toBase64url(new Uint8Array(15)) }), /^keys\.auth: /],
		["an auth secret that is not base64url", (s) => withKeys(s, { auth: "not/base64+url!!!!!!!" }), /^keys\.auth: /],
		["an unknown field", (s) => ({ ...s, extra: 1 }), /extra/],
		[
			"a host that is not a push service the deployment knows",
			(s) => ({ ...s, endpoint: "https://intranet.example.com/hook" }),
			/^endpoint: /,
		],
		// An allowed push host on another port is another service: https://fcm.googleapis.com:8443/x in production.
		[
			"an allowed push host on another port",
			(s) => ({ ...s, endpoint: "https://fcm.push.example.test:8443/x" }),
			/^endpoint: .*port/,
		],
		[
			"an allowed push host with credentials",
			(s) => ({ ...s, endpoint: "https://user:secret@fcm.push.example.test/x" }),
			/^endpoint: .*credentials/,
		],
	])("refuses a subscription with %s (400, naming the field)", async (_, spoil, message) => {
		const store = await createStore();
		const me = await admitted(store.id, await staff(store.id));
		const valid = (await PushReceiver.create(await applicationServerKey())).subscription();
		const reply = await subscribe(me.orderId, me.token, spoil(valid));
		expect(reply.status).toBe(400);
		expect(reply.body.error.code).toBe("invalid_request");
		expect(reply.body.error.message).toMatch(message);
		expect(await subscriptions(me.orderId)).toEqual([]);
		expect((await subscribe(me.orderId, me.token, valid)).status).toBe(201);
	});
});

describe("subscription limits", () => {
	it("lets an order notify at most five browsers, though each can refresh its keys", async () => {
		const store = await createStore();
		const me = await admitted(store.id, await staff(store.id));
		const key = await applicationServerKey();
		const browsers = await Promise.all(Array.from({ length: 6 }, () => PushReceiver.create(key)));
		for (const browser of browsers.slice(0, 5))
			expect((await subscribe(me.orderId, me.token, browser.subscription())).status).toBe(201);
		const sixth = await subscribe(me.orderId, me.token, browsers[5]!.subscription());
		expect([sixth.status, sixth.body.error.code]).toEqual([409, "subscription_limit"]);
		expect((await subscribe(me.orderId, me.token, browsers[0]!.subscription())).status).toBe(201);
		expect(await subscriptions(me.orderId)).toHaveLength(5);
	});
});

describe("the test push service", () => {
	// These prove the receiver above would catch a broken sender: it refuses what a browser could not read.
	const vapid = () => ({
		subject: env.VAPID_SUBJECT,
		publicKey: env.VAPID_PUBLIC_KEY,
		privateKey: env.VAPID_PRIVATE_KEY,
	});

	it("refuses a message encrypted for another browser", async () => {
		const browser = await PushReceiver.create(env.VAPID_PUBLIC_KEY);
		const other = await PushReceiver.create(env.VAPID_PUBLIC_KEY);
		const request = await buildPushPayload(
			{ data: "hello" },
			{ ...other.subscription(), endpoint: browser.endpoint },
			vapid(),
		);
		expect((await fetch(browser.endpoint, request)).status).toBe(400);
		expect(browser.problems).toEqual(["the body does not decrypt with this browser's keys"]);
	});

	it("refuses a VAPID token not signed by the subscription's key", async () => {
		const browser = await PushReceiver.create(env.VAPID_PUBLIC_KEY);
		const impostor = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, [
			"sign",
		])) as CryptoKeyPair;
		const publicKey = toBase64url((await crypto.subtle.exportKey("raw", impostor.publicKey)) as ArrayBuffer);
		const { d } = (await crypto.subtle.exportKey("jwk", impostor.privateKey)) as JsonWebKey;
		const request = await buildPushPayload({ data: "hello" }, browser.subscription(), {
			...vapid(),
			publicKey,
			privateKey: d,
		});
		// The impostor's token, presented under our key.
		const forged = {
			...request,
			headers: {
				...request.headers,
				authorization: request.headers.authorization.replace(publicKey, env.VAPID_PUBLIC_KEY),
			},
		};
		expect((await fetch(browser.endpoint, forged)).status).toBe(401);
		expect(browser.problems).toEqual(["the JWT's signature does not verify with k"]);
	});
});
