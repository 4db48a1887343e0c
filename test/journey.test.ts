import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import type { Journey } from "#contract/journey.ts";
import { shareToken } from "../workers/read-model/journey-share";
import { act, adminToken, admitted, attendee, call, createStore, projected, staff, submit } from "./helpers";

/** The journey once the archive holds `types.length` steps (the queue delivers events in its own time). */
async function journeyOf(orderId: string, token: string, steps: number): Promise<Journey> {
	return vi.waitUntil(
		async () => {
			const reply = await call<Journey>("GET", `/api/orders/${orderId}/journey`, { token });
			expect(reply.status).toBe(200);
			return reply.body.steps.length >= steps ? reply.body : null;
		},
		{ timeout: 10_000, interval: 50 },
	);
}

/** A scripted order: scan → submit → claim → complete, by Ada Lovelace at a fresh store. */
async function madeOrder() {
	const store = await createStore();
	const barista = await staff(store.id, undefined, "Sam Barista");
	const ada = await admitted(store.id, barista, "Ada Lovelace");
	await submit(ada.orderId, ada.token, { drink: "latte", options: { milk: "oat" }, name: "Ada Lovelace" });
	await act(ada.orderId, "claim", barista);
	await act(ada.orderId, "complete", barista);
	return { store, barista, ada };
}

const scripted = [
	"Validator.NewOrder",
	"OrderProcessor.WorkflowStarted",
	"OrderManager.WaitingCompletion",
	"OrderManager.MakeOrder",
	"OrderManager.OrderCompleted",
];

describe("the order journey", () => {
	it("lists a made order's events in order, with their services, gaps and allow-listed contents", async () => {
		const { ada } = await madeOrder();
		const journey = await journeyOf(ada.orderId, ada.token, scripted.length);
		expect(journey.steps.map((step) => step.type)).toEqual(scripted);
		expect(journey.complete).toBe(true);
		expect(journey.version).toBe(4);
		expect(journey.steps.map((step) => step.service)).toEqual([
			"Validator",
			"OrderProcessor",
			"OrderManager",
			"OrderManager",
			"OrderManager",
		]);
		expect(journey.steps.map((step) => step.producer)).toEqual(["StoreDO", "OrderDO", "OrderDO", "OrderDO", "OrderDO"]);
		expect(journey.steps.at(-1)!.consumers).toEqual(expect.arrayContaining(["projector", "notifier"]));
		expect(journey.steps[0]!.sincePreviousMs).toBeNull();
		for (const [i, step] of journey.steps.entries()) {
			if (i === 0) continue;
			expect(step.sincePreviousMs).toBe(Date.parse(step.time) - Date.parse(journey.steps[i - 1]!.time));
			expect(step.sincePreviousMs).toBeGreaterThanOrEqual(0);
		}
		expect(journey.steps[0]!.carried).toMatchObject({
			tokensLeft: expect.any(Number),
			tokensTotal: expect.any(Number),
		});
		expect(journey.steps[2]!.carried).toEqual({
			"order.state": "QUEUED",
			"order.number": 1,
			"order.drink.name": "Latte",
			"order.options": expect.arrayContaining([{ group: "milk", choice: "oat", label: "Oat" }]),
			"order.expiresAt": expect.any(String),
		});
		expect(journey.steps[4]!.carried).toEqual({
			"order.state": "READY",
			"order.number": 1,
			"order.drink.name": "Latte",
		});
	});

	it("shows an order in flight as far as the archive has it, not complete", async () => {
		const store = await createStore();
		const barista = await staff(store.id);
		const ada = await admitted(store.id, barista, "Ada");
		await submit(ada.orderId, ada.token);
		const queued = await journeyOf(ada.orderId, ada.token, 3);
		expect(queued).toMatchObject({ complete: false, version: 2 });
		await act(ada.orderId, "claim", barista);
		await act(ada.orderId, "complete", barista);
		const ready = await journeyOf(ada.orderId, ada.token, 5);
		expect(ready.complete).toBe(true);
	});

	it("is not complete while an earlier version is still in the queue", async () => {
		const { ada } = await madeOrder();
		await journeyOf(ada.orderId, ada.token, scripted.length);
		// As if the claim's event had not been delivered yet.
		await env.DB.prepare(`DELETE FROM order_events WHERE order_id = ? AND type = 'OrderManager.MakeOrder'`)
			.bind(ada.orderId)
			.run();
		const journey = (await call<Journey>("GET", `/api/orders/${ada.orderId}/journey`, { token: ada.token })).body;
		expect(journey.steps.map((step) => step.type)).not.toContain("OrderManager.MakeOrder");
		expect(journey.complete).toBe(false);
	});

	it("answers an order the archive has not heard of yet with no steps", async () => {
		const store = await createStore();
		const barista = await staff(store.id);
		const ada = await admitted(store.id, barista);
		// Both events of the scan are delivered first, so none can land after the archive is emptied.
		await journeyOf(ada.orderId, ada.token, 2);
		await env.DB.prepare(`DELETE FROM order_events WHERE order_id = ?`).bind(ada.orderId).run();
		const reply = await call<Journey>("GET", `/api/orders/${ada.orderId}/journey`, { token: ada.token });
		expect(reply.status).toBe(200);
		expect(reply.body).toEqual({ orderId: ada.orderId, storeId: store.id, steps: [], complete: false, version: null });
	});

	it("is read by the order's attendee, its store's staff and the deployment admin, and nobody else", async () => {
		const { ada, barista } = await madeOrder();
		await journeyOf(ada.orderId, ada.token, scripted.length);
		const path = `/api/orders/${ada.orderId}/journey`;
		expect((await call("GET", path, { token: barista })).status).toBe(200);
		expect((await call("GET", path, { token: adminToken })).status).toBe(200);
		expect((await call("GET", path, { token: (await attendee("Eve")).token })).status).toBe(404);
		expect((await call("GET", path, { token: await staff((await createStore()).id) })).status).toBe(404);
		expect((await call("GET", path)).status).toBe(401);
		expect((await call("POST", `${path}/share`, { token: (await attendee("Eve")).token })).status).toBe(404);
		expect((await call("GET", `/api/orders/not-a-uuid/journey`, { token: ada.token })).status).toBe(400);
	});
});

describe("a shared journey", () => {
	it("shows anyone the same steps, with no name, user id or barista anywhere in the reply", async () => {
		const { ada, barista } = await madeOrder();
		const own = await journeyOf(ada.orderId, ada.token, scripted.length);
		const shared = await call("POST", `/api/orders/${ada.orderId}/journey/share`, { token: ada.token });
		expect(shared.status).toBe(200);
		expect(shared.body.url).toBe(`https://edgepresso.test/journey?share=${shared.body.token}`);
		expect(Date.parse(shared.body.expiresAt)).toBeGreaterThan(Date.now() + 6 * 86_400_000);
		expect(shared.body.token).not.toMatch(/Ada|Lovelace/);
		expect(shared.body.token).not.toContain(ada.userId);
		// Staff share the same journey.
		expect((await call("POST", `/api/orders/${ada.orderId}/journey/share`, { token: barista })).status).toBe(200);

		const reply = await call<Journey>("GET", `/api/journeys/${shared.body.token}`);
		expect(reply.status).toBe(200);
		expect(reply.body).toEqual(own);
		for (const text of [reply.text, JSON.stringify(own)]) {
			expect(text).not.toMatch(/Ada|Lovelace/i);
			expect(text).not.toContain(ada.userId);
			expect(text).not.toMatch(/Sam|Barista"/);
			expect(text).not.toMatch(/userId|baristaId|baristaName|"name"|endpoint/);
		}
	});

	it("is not found when the token is forged, altered, expired, or its order's archive is gone", async () => {
		const { ada } = await madeOrder();
		await journeyOf(ada.orderId, ada.token, scripted.length);
		const { token } = (await call("POST", `/api/orders/${ada.orderId}/journey/share`, { token: ada.token })).body as {
			token: string;
		};
		const [, seconds, signature] = token.split(".");
		const other = (await madeOrder()).ada.orderId;
		const refused = {
			"another order's id under this signature": `${other}.${seconds}.${signature}`,
			"a later expiry under this signature": `${ada.orderId}.${Number(seconds) + 86_400}.${signature}`,
			"a signature with another secret": await shareToken(
				{ ...env, SESSION_SECRET: "not-our-secret" },
				ada.orderId,
				Date.now() + 86_400_000,
			),
			"an expired token": await shareToken(env, ada.orderId, Date.now() - 1000),
			"not a token": "hello",
			"a session token": ada.token,
		};
		for (const [what, forged] of Object.entries(refused)) {
			const reply = await call("GET", `/api/journeys/${encodeURIComponent(forged)}`);
			expect(reply.status, what).toBe(404);
			expect(reply.body.error.code, what).toBe("not_found");
		}
		expect((await call("GET", `/api/journeys/${token}`)).status).toBe(200);
		await env.DB.prepare(`DELETE FROM order_events WHERE order_id = ?`).bind(ada.orderId).run();
		expect((await call("GET", `/api/journeys/${token}`)).body.error.code).toBe("not_found");
	});

	it("cannot be made for an order past its retention", async () => {
		const { ada } = await madeOrder();
		await projected(ada.orderId, 4);
		// The order finished a week and a day ago: the OrderDO's retention alarm cleared it, D1 answers for it.
		const { runDurableObjectAlarm } = await import("cloudflare:test");
		await runDurableObjectAlarm(env.ORDER.getByName(ada.orderId));
		await env.DB.prepare(`UPDATE orders SET finished_at = finished_at - ? WHERE id = ?`)
			.bind(8 * 86_400_000, ada.orderId)
			.run();
		const reply = await call("POST", `/api/orders/${ada.orderId}/journey/share`, { token: ada.token });
		expect(reply.status).toBe(404);
		expect(reply.body.error.code).toBe("not_found");
	});
});
