import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { Webhook, WebhookVerificationError } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { createEvent } from "#contract/events.ts";
import type { Delivery, Endpoint, EndpointSecret } from "#contract/webhooks.ts";
import { takesEvent, type EndpointRow } from "../workers/webhooks/endpoints";
import { refusedTarget } from "../workers/webhooks/targets";
import worker from "../workers/index";
import { act, adminToken, admitted, call, createStore, projected, staff, submit, unmetered } from "./helpers";
import { until } from "./until";
import { WebhookReceiver } from "./webhook-receiver";

/**
 * Extensions as webhooks: an endpoint the deployment admin registers receives the events it asked for,
 * signed as Standard Webhooks specifies (checked with the `standardwebhooks` library), retried, dead-lettered,
 * redriven, held while paused, and never at a private address or at the deployment itself.
 */

async function register(body: Record<string, unknown>) {
	const reply = await call<EndpointSecret>("POST", "/api/admin/webhooks", { token: adminToken, body });
	expect(reply.status, JSON.stringify(reply.body)).toBe(201);
	return reply.body;
}

/** A store, and an endpoint for its order events that a fresh receiver verifies. */
async function extension(pattern = "OrderManager.*") {
	const store = await createStore();
	const barista = await staff(store.id);
	const receiver = new WebhookReceiver();
	const { endpoint, secret } = await register({ url: receiver.url, pattern, stores: [store.id], description: "Test" });
	receiver.secret = secret;
	return { store, barista, receiver, endpoint, secret };
}

/** An order made and ready: QUEUED, MAKING, READY. */
async function readyOrder(storeId: string, barista: string) {
	const me = await admitted(storeId, barista, "Ada Lovelace");
	await submit(me.orderId, me.token);
	await act(me.orderId, "claim", barista);
	await act(me.orderId, "complete", barista);
	return me;
}

async function deliveries(endpointId: string, status?: string): Promise<Delivery[]> {
	const reply = await call<{ deliveries: Delivery[] }>(
		"GET",
		`/api/admin/webhooks/${endpointId}/deliveries?limit=100${status ? `&status=${status}` : ""}`,
		{ token: adminToken },
	);
	expect(reply.status).toBe(200);
	return reply.body.deliveries;
}

const ofOrder = (receiver: WebhookReceiver, orderId: string, type: string) =>
	receiver.accepted.filter((r) => r.payload.data.orderId === orderId && r.payload.type === type);

describe("webhook delivery", () => {
	it("posts the events an endpoint asked for, signed so the standardwebhooks library verifies them, without personal data", async () => {
		const { store, barista, receiver, endpoint } = await extension();
		const me = await readyOrder(store.id, barista);
		await until(() => ofOrder(receiver, me.orderId, "OrderManager.OrderCompleted")[0]);
		const mine = receiver.accepted.filter((r) => r.payload.data.orderId === me.orderId);
		expect(receiver.problems).toEqual([]);
		// Only the OrderManager events: the scan (Validator) and the start (OrderProcessor) are not asked for.
		expect(mine.every((r) => r.payload.type.startsWith("OrderManager."))).toBe(true);
		const completed = ofOrder(receiver, me.orderId, "OrderManager.OrderCompleted")[0]!;
		expect(completed.payload).toMatchObject({
			type: "OrderManager.OrderCompleted",
			data: {
				storeId: store.id,
				orderId: me.orderId,
				detail: { "order.state": "READY", "order.drink.name": "Latte" },
			},
		});
		expect(completed.headers["webhook-id"]).toBe(`${completed.payload.data.eventId}.${endpoint.id}`);
		expect(completed.headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
		for (const r of mine) {
			expect(r.body).not.toContain("Ada");
			expect(r.body).not.toContain(me.userId);
			expect(r.body).not.toContain("Sam");
		}
		const listed = await until(async () => {
			const rows = await deliveries(endpoint.id, "delivered");
			return rows.some((d) => d.id === completed.headers["webhook-id"]) && rows;
		});
		expect(listed.find((d) => d.id === completed.headers["webhook-id"])).toMatchObject({
			status: "delivered",
			attempts: 1,
			lastStatus: 204,
			lastError: null,
		});
	});

	it("signs with the new secret and the old one during the grace period after a rotation, then the new one only", async () => {
		const { store, barista, receiver, endpoint, secret: old } = await extension("OrderManager.OrderCompleted");
		const rotated = await call<EndpointSecret>("POST", `/api/admin/webhooks/${endpoint.id}/rotate`, {
			token: adminToken,
		});
		expect(rotated.status).toBe(200);
		const fresh = rotated.body.secret;
		expect(fresh).not.toBe(old);
		expect(Date.parse(rotated.body.endpoint.previousSecretUntil!)).toBeGreaterThan(Date.now() + 23 * 3600_000);
		receiver.secret = fresh;

		const first = await readyOrder(store.id, barista);
		const during = await until(() => ofOrder(receiver, first.orderId, "OrderManager.OrderCompleted")[0]);
		expect(during.headers["webhook-signature"]!.split(" ")).toHaveLength(2);
		// An extension that has not switched yet still verifies, and one that has switched verifies too.
		expect(new Webhook(old).verify(during.body, during.headers)).toEqual(during.payload);
		expect(new Webhook(fresh).verify(during.body, during.headers)).toEqual(during.payload);

		// The grace period over: the old secret signs no more.
		await env.DB.prepare(`UPDATE webhook_endpoints SET previous_until = ? WHERE id = ?`)
			.bind(Date.now() - 1, endpoint.id)
			.run();
		const second = await readyOrder(store.id, barista);
		const after = await until(() => ofOrder(receiver, second.orderId, "OrderManager.OrderCompleted")[0]);
		expect(after.headers["webhook-signature"]!.split(" ")).toHaveLength(1);
		expect(() => new Webhook(old).verify(after.body, after.headers)).toThrow(WebhookVerificationError);
		expect(new Webhook(fresh).verify(after.body, after.headers)).toEqual(after.payload);
	});

	it("signs the body: a tampered body or a changed id is refused by the library", async () => {
		const { store, barista, receiver, secret } = await extension("OrderManager.OrderCompleted");
		const me = await readyOrder(store.id, barista);
		const got = await until(() => ofOrder(receiver, me.orderId, "OrderManager.OrderCompleted")[0]);
		const verifier = new Webhook(secret);
		expect(verifier.verify(got.body, got.headers)).toEqual(got.payload);
		expect(() => verifier.verify(got.body.replace("READY", "CANCELLED"), got.headers)).toThrow(
			WebhookVerificationError,
		);
		expect(() => verifier.verify(got.body, { ...got.headers, "webhook-id": "another" })).toThrow(
			WebhookVerificationError,
		);
	});

	it("retries a failing endpoint with the same webhook-id, dead-letters it after its attempts, and a redrive delivers it", async () => {
		const { store, barista, receiver, endpoint } = await extension("OrderManager.OrderCompleted");
		// WEBHOOK_ATTEMPTS is 3 in tests: an error, a dropped connection, an error.
		receiver.answerNext(500, "network", 503);
		const me = await readyOrder(store.id, barista);
		const [dead] = await until(async () => {
			const rows = await deliveries(endpoint.id, "dead");
			return rows.length > 0 && rows;
		});
		expect(dead).toMatchObject({ eventType: "OrderManager.OrderCompleted", attempts: 3, lastStatus: 503 });
		expect(dead!.lastError).toBe("answered 503");
		const tries = receiver.received.filter((r) => r.headers["webhook-id"] === dead!.id);
		expect(tries.map((r) => r.answer)).toEqual([500, "network", 503]);
		expect(ofOrder(receiver, me.orderId, "OrderManager.OrderCompleted")).toEqual([]);
		expect((await readEndpoint(endpoint.id)).deliveries.dead).toBe(1);

		const redriven = await call("POST", `/api/admin/webhooks/${endpoint.id}/redrive`, {
			token: adminToken,
			body: { all: true },
		});
		expect([redriven.status, redriven.body]).toEqual([200, { redriven: 1 }]);
		const delivered = await until(async () =>
			(await deliveries(endpoint.id)).find((d) => d.id === dead!.id && d.status === "delivered"),
		);
		// A redriven delivery starts its attempts again; the receiver saw the same id a fourth time.
		expect(delivered).toMatchObject({ attempts: 1, lastStatus: 204, lastError: null });
		expect(receiver.received.filter((r) => r.headers["webhook-id"] === dead!.id)).toHaveLength(4);
		expect(await deliveries(endpoint.id, "dead")).toEqual([]);
	});

	it("gives up on an endpoint that does not answer within the timeout, and retries it later", async () => {
		const { receiver, endpoint } = await extension("OrderManager.OrderCompleted");
		receiver.answerNext("hang");
		const id = `slow-${crypto.randomUUID()}.${endpoint.id}`;
		const payload = JSON.stringify({
			type: "OrderManager.OrderCompleted",
			timestamp: new Date().toISOString(),
			data: {},
		});
		const batch = createMessageBatch("edgepresso-webhooks", [
			{
				id: "slow-1",
				timestamp: new Date(),
				attempts: 1,
				body: { id, endpointId: endpoint.id, eventType: "OrderManager.OrderCompleted", payload },
			},
		]);
		const ctx = createExecutionContext();
		// Only this batch's consumer waits a fraction of a second: the endpoint never answers, so only the timeout ends it.
		await worker.queue(batch, { ...unmetered, WEBHOOK_TIMEOUT_SECONDS: "0.2" });
		const result = await getQueueResult(batch, ctx);
		expect(result.retryMessages.map((m) => m.msgId)).toEqual(["slow-1"]);
		const [row] = (await deliveries(endpoint.id)).filter((d) => d.id === id);
		expect(row).toMatchObject({ status: "pending", attempts: 1, lastStatus: null });
		expect(row!.lastError).toMatch(/timeout|abort/i);
		expect(receiver.received.map((r) => r.answer)).toEqual(["hang"]);
	});

	it("holds deliveries while an endpoint is paused and sends them when it resumes", async () => {
		const { store, barista, receiver, endpoint } = await extension("OrderManager.OrderCompleted");
		const paused = await call<Endpoint>("POST", `/api/admin/webhooks/${endpoint.id}/pause`, { token: adminToken });
		expect([paused.status, paused.body.paused]).toEqual([200, true]);
		const orders = [await readyOrder(store.id, barista), await readyOrder(store.id, barista)];
		await until(async () => (await deliveries(endpoint.id, "held")).length === 2);
		expect(receiver.received).toEqual([]);

		const resumed = await call<Endpoint>("POST", `/api/admin/webhooks/${endpoint.id}/resume`, { token: adminToken });
		expect([resumed.status, resumed.body.paused]).toEqual([200, false]);
		await until(() => orders.every((o) => ofOrder(receiver, o.orderId, "OrderManager.OrderCompleted").length === 1));
		await until(async () => (await readEndpoint(endpoint.id)).deliveries.delivered === 2);
		expect((await readEndpoint(endpoint.id)).deliveries).toEqual({ pending: 0, held: 0, delivered: 2, dead: 0 });
	});

	it("leaves the order path alone while an endpoint fails: orders finish and the projection converges", async () => {
		const { store, barista, receiver, endpoint } = await extension("*");
		receiver.answerAlways(500);
		const orders = await Promise.all([1, 2, 3].map(() => readyOrder(store.id, barista)));
		for (const { orderId } of orders) expect((await projected(orderId, 4)).state).toBe("READY");
		// Every event of the store's orders was tried and ends on the endpoint's dead-letter shelf.
		await until(async () => (await readEndpoint(endpoint.id)).deliveries.dead >= orders.length * 4);
		receiver.answerAlways(null);
	});

	it("refuses an endpoint at a private or special address, or at the deployment itself", async () => {
		const refused = [
			"https://localhost/hook",
			"https://api.localhost/hook",
			"https://printer.local/hook",
			"https://db.internal/hook",
			"https://intranet/hook",
			"https://127.0.0.1/hook",
			"https://10.1.2.3/hook",
			"https://100.64.0.1/hook",
			"https://169.254.169.254/latest/meta-data",
			"https://172.16.0.1/hook",
			"https://172.31.255.255/hook",
			"https://192.168.1.1/hook",
			"https://198.18.0.1/hook",
			"https://0.0.0.0/hook",
			"https://224.0.0.1/hook",
			"https://255.255.255.255/hook",
			"https://2130706433/hook",
			"https://0x7f000001/hook",
			"https://0177.0.0.1/hook",
			"https://127.1/hook",
			"https://[::1]/hook",
			"https://[::]/hook",
			"https://[fc00::1]/hook",
			"https://[fd12:3456::1]/hook",
			"https://[fe80::1]/hook",
			"https://[::ffff:127.0.0.1]/hook",
			"https://[::ffff:10.0.0.1]/hook",
			"https://[64:ff9b::192.168.0.1]/hook",
			"https://edgepresso.test/api/health",
			"https://EDGEPRESSO.test./hook",
		];
		for (const url of refused) {
			const reply = await call("POST", "/api/admin/webhooks", { token: adminToken, body: { url, pattern: "*" } });
			expect([url, reply.status, reply.body.error?.code]).toEqual([url, 400, "webhook_target_refused"]);
		}
		for (const url of ["http://example.com/hook", "ftp://example.com/hook", "https://user:pw@example.com/hook"]) {
			const reply = await call("POST", "/api/admin/webhooks", { token: adminToken, body: { url, pattern: "*" } });
			expect([url, reply.status, reply.body.error?.code]).toEqual([url, 400, "invalid_request"]);
		}
		// Public addresses pass.
		for (const url of [
			"https://hooks.slack.com/services/T0/B0/x",
			"https://8.8.8.8/hook",
			"https://172.32.0.1/hook",
			"https://[2606:4700::1111]/hook",
			"https://[::ffff:8.8.8.8]/hook",
		]) {
			expect([url, refusedTarget(url, ["edgepresso.test"])]).toEqual([url, null]);
		}
		// An update is checked as a registration is, and the deployment's public origin counts as itself.
		const { endpoint } = await extension();
		const moved = await call("PATCH", `/api/admin/webhooks/${endpoint.id}`, {
			token: adminToken,
			body: { url: "https://10.0.0.1/hook" },
		});
		expect([moved.status, moved.body.error.code]).toEqual([400, "webhook_target_refused"]);
		expect(refusedTarget("https://coffee.example.com/x", ["coffee.example.com"])).toBe("is this deployment itself");
	});

	it("checks the target again at delivery: an endpoint that became unsafe is dead-lettered without a request", async () => {
		const { store, barista, receiver, endpoint } = await extension("OrderManager.OrderCompleted");
		// As if the rules had been looser when it was registered.
		await env.DB.prepare(`UPDATE webhook_endpoints SET url = 'https://169.254.169.254/latest' WHERE id = ?`)
			.bind(endpoint.id)
			.run();
		await readyOrder(store.id, barista);
		const [dead] = await until(async () => {
			const rows = await deliveries(endpoint.id, "dead");
			return rows.length > 0 && rows;
		});
		expect(dead).toMatchObject({ attempts: 1, lastStatus: null });
		expect(dead!.lastError).toContain("target refused");
		expect(receiver.received).toEqual([]);
	});
});

async function readEndpoint(id: string): Promise<Endpoint> {
	const reply = await call<Endpoint>("GET", `/api/admin/webhooks/${id}`, { token: adminToken });
	expect(reply.status).toBe(200);
	return reply.body;
}

describe("webhook endpoints", () => {
	it("are listed, read, changed and deleted by the deployment admin, and never show their secret again", async () => {
		const receiver = new WebhookReceiver();
		const { endpoint, secret } = await register({ url: receiver.url, pattern: "*" });
		expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
		expect(endpoint).toMatchObject({ pattern: "*", stores: [], eventId: null, description: "", paused: false });
		const listed = await call<{ endpoints: Endpoint[] }>("GET", "/api/admin/webhooks", { token: adminToken });
		expect(listed.body.endpoints.map((e) => e.id)).toContain(endpoint.id);
		expect(listed.text).not.toContain(secret.slice(6));

		const changed = await call<Endpoint>("PATCH", `/api/admin/webhooks/${endpoint.id}`, {
			token: adminToken,
			body: { pattern: "Privacy.*", stores: ["bar-a", "bar-b"], eventId: "summit-2026", description: "Loyalty" },
		});
		expect(changed.status).toBe(200);
		expect(changed.body).toMatchObject({
			pattern: "Privacy.*",
			stores: ["bar-a", "bar-b"],
			eventId: "summit-2026",
			description: "Loyalty",
		});
		expect((await call("DELETE", `/api/admin/webhooks/${endpoint.id}`, { token: adminToken })).status).toBe(204);
		const gone = await call("GET", `/api/admin/webhooks/${endpoint.id}`, { token: adminToken });
		expect([gone.status, gone.body.error.code]).toEqual([404, "not_found"]);
	});

	it("refuses patterns outside the event catalog, unknown fields and an empty change", async () => {
		const url = new WebhookReceiver().url;
		for (const pattern of ["Nobody.*", "OrderManager.Nope", "Order*", "", "**"]) {
			const reply = await call("POST", "/api/admin/webhooks", { token: adminToken, body: { url, pattern } });
			expect([pattern, reply.status, reply.body.error.code]).toEqual([pattern, 400, "invalid_request"]);
		}
		const extra = await call("POST", "/api/admin/webhooks", {
			token: adminToken,
			body: { url, pattern: "*", secret: "whsec_mine" },
		});
		expect(extra.status).toBe(400);
		const { endpoint } = await register({ url, pattern: "OrderManager.MakeOrder", stores: ["nowhere"] });
		const empty = await call("PATCH", `/api/admin/webhooks/${endpoint.id}`, { token: adminToken, body: {} });
		expect(empty.status).toBe(400);
		const redrive = await call("POST", `/api/admin/webhooks/${endpoint.id}/redrive`, { token: adminToken, body: {} });
		expect(redrive.status).toBe(400);
	});

	it("take an event when its type, store and event id all match", () => {
		const endpoint = (over: Partial<EndpointRow>): EndpointRow => ({
			id: "e",
			url: "https://example.com",
			pattern: "*",
			stores: "[]",
			eventId: null,
			description: "",
			secret: "whsec_",
			previousSecret: null,
			previousUntil: null,
			paused: false,
			createdAt: 0,
			updatedAt: 0,
			...over,
		});
		const event = createEvent(
			"OrderManager.MakeOrder",
			{ storeId: "bar-a", orderId: "o", time: 0 },
			{ order: {} as never },
		);
		const atSummit = { ...event, eventId: "summit" };
		expect(takesEvent(endpoint({}), event)).toBe(true);
		expect(takesEvent(endpoint({ pattern: "OrderManager.*" }), event)).toBe(true);
		expect(takesEvent(endpoint({ pattern: "OrderManager.OrderCompleted" }), event)).toBe(false);
		expect(takesEvent(endpoint({ stores: '["bar-a","bar-b"]' }), event)).toBe(true);
		expect(takesEvent(endpoint({ stores: '["bar-b"]' }), event)).toBe(false);
		expect(takesEvent(endpoint({ eventId: "summit" }), event)).toBe(false);
		expect(takesEvent(endpoint({ eventId: "summit" }), atSummit)).toBe(true);
		expect(takesEvent(endpoint({ eventId: "other" }), atSummit)).toBe(false);
	});
});
