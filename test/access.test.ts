import { env } from "cloudflare:workers";
import { sign } from "hono/jwt";
import { describe, expect, it } from "vitest";
import { act, adminPin, admitted, attendee, call, createStore, currentCode, projected, staff, submit } from "./helpers";
import { until } from "./until";

const expectError = (reply: { status: number; body: any }, status: number, code: string) => {
	expect(reply.status, JSON.stringify(reply.body)).toBe(status);
	expect(reply.body).toEqual({ error: expect.objectContaining({ code, message: expect.any(String) }) });
	expect(reply.body.error.message.length).toBeGreaterThan(5);
};

async function queuedOrder() {
	const store = await createStore();
	const barista = await staff(store.id);
	const owner = await admitted(store.id, barista);
	await submit(owner.orderId, owner.token);
	return { store, barista, owner };
}

describe("who may see and change an order", () => {
	it("hides an order from other attendees: they cannot read, cancel or submit it", async () => {
		const { owner } = await queuedOrder();
		const stranger = await attendee();
		expectError(await call("GET", `/api/orders/${owner.orderId}`, { token: stranger.token }), 404, "order_not_found");
		expectError(await act(owner.orderId, "cancel", stranger.token), 404, "order_not_found");
		expectError(await submit(owner.orderId, stranger.token, { drink: "tea" }), 404, "order_not_found");
		const mine = await call("GET", `/api/orders/${owner.orderId}`, { token: owner.token });
		expect(mine.body.order).toMatchObject({ state: "QUEUED", version: 2, drink: { id: "latte" } });
	});

	it("does not let an attendee submit into someone else's admitted order", async () => {
		const store = await createStore();
		const barista = await staff(store.id);
		const owner = await admitted(store.id, barista);
		const stranger = await attendee();
		expectError(await submit(owner.orderId, stranger.token), 404, "order_not_found");
		expect((await call("GET", `/api/orders/${owner.orderId}`, { token: owner.token })).body.order.state).toBe(
			"AWAITING_ORDER",
		);
	});

	it("lists an attendee's own orders only", async () => {
		const { owner } = await queuedOrder();
		const other = await queuedOrder();
		await projected(owner.orderId, 2);
		await projected(other.owner.orderId, 2);
		const mine = await call("GET", "/api/me/orders", { token: owner.token });
		expect(mine.body.orders.map((o: { id: string }) => o.id)).toEqual([owner.orderId]);
	});

	it("lets only the store's staff list its orders", async () => {
		const { store, barista, owner } = await queuedOrder();
		await projected(owner.orderId, 2);
		const list = await call("GET", `/api/stores/${store.id}/orders?state=QUEUED,MAKING`, { token: barista });
		expect(list.body.orders.map((o: { id: string }) => o.id)).toEqual([owner.orderId]);
		expectError(await call("GET", `/api/stores/${store.id}/orders`, { token: owner.token }), 403, "forbidden");
		const elsewhere = await staff((await createStore()).id);
		expectError(await call("GET", `/api/stores/${store.id}/orders`, { token: elsewhere }), 403, "forbidden");
		expectError(
			await call("GET", `/api/stores/${store.id}/orders?state=BREWING`, { token: barista }),
			400,
			"invalid_request",
		);
	});

	it("pages through a store's orders with a cursor", async () => {
		const store = await createStore();
		const barista = await staff(store.id);
		const ids = [];
		for (let i = 0; i < 5; i++) ids.push((await admitted(store.id, barista)).orderId);
		for (const id of ids) await projected(id, 1);
		const first = await call("GET", `/api/stores/${store.id}/orders?limit=3`, { token: barista });
		const second = await call("GET", `/api/stores/${store.id}/orders?limit=3&before=${first.body.next}`, {
			token: barista,
		});
		expect(first.body.orders).toHaveLength(3);
		expect(second.body.orders).toHaveLength(2);
		expect(second.body.next).toBeNull();
		expect(new Set([...first.body.orders, ...second.body.orders].map((o: { id: string }) => o.id))).toEqual(
			new Set(ids),
		);
	});

	it("accepts the attendee's session from the cookie as well as the bearer header", async () => {
		const created = await call("POST", "/api/session", { body: { name: "Lin" } });
		const cookie = created.headers.get("set-cookie")!;
		expect(cookie).toMatch(/^__Host-edgepresso_session=.+; .*HttpOnly/);
		const store = await createStore();
		const barista = await staff(store.id);
		const { code } = await currentCode(store.id, barista);
		const reply = await call("POST", `/api/stores/${store.id}/scans`, {
			body: { code },
			headers: { cookie: cookie.split(";")[0]! },
		});
		expect(reply.status).toBe(201);
	});

	it("keeps an attendee's id when they renew their session with a new name", async () => {
		const first = await attendee("Ada");
		const renewed = await call("POST", "/api/session", { token: first.token, body: { name: "Ada L." } });
		expect(renewed.body).toMatchObject({ userId: first.userId, name: "Ada L." });
	});
});

describe("sessions that are not what they claim", () => {
	it("refuses a token signed with another secret, a tampered one, an unsigned one, and garbage", async () => {
		const { owner } = await queuedOrder();
		const now = Math.floor(Date.now() / 1000);
		const claims = { kind: "attendee", sub: owner.userId, name: null, iat: now, exp: now + 3600 };
		const forged = await sign(claims, "not-the-secret", "HS256");
		const [header, , signature] = owner.token.split(".");
		const tampered = `${header}.${btoa(JSON.stringify({ ...claims, sub: "someone-else" })).replace(/=+$/, "")}.${signature}`;
		const unsigned = `${btoa(JSON.stringify({ alg: "none", typ: "JWT" })).replace(/=+$/, "")}.${btoa(JSON.stringify(claims)).replace(/=+$/, "")}.`;
		for (const token of [forged, tampered, unsigned, "garbage", "a.b.c"]) {
			expectError(await call("GET", `/api/orders/${owner.orderId}`, { token }), 401, "unauthenticated");
			expectError(await act(owner.orderId, "cancel", token), 401, "unauthenticated");
		}
		expectError(
			await call("GET", `/api/orders/${owner.orderId}`, { headers: { authorization: "Basic abc" } }),
			401,
			"unauthenticated",
		);
		expect((await call("GET", `/api/orders/${owner.orderId}`, { token: owner.token })).body.order.state).toBe("QUEUED");
	});

	it("refuses an expired session and says so", async () => {
		const { owner } = await queuedOrder();
		const past = Math.floor(Date.now() / 1000) - 7200;
		const expired = await sign(
			{ kind: "attendee", sub: owner.userId, name: null, iat: past, exp: past + 3600 },
			env.SESSION_SECRET,
			"HS256",
		);
		const reply = await call("GET", `/api/orders/${owner.orderId}`, { token: expired });
		expectError(reply, 401, "unauthenticated");
		expect(reply.body.error.message).toMatch(/expired/);
	});

	it("refuses a session without an expiry, or one that claims to last longer than its kind does", async () => {
		const { store, owner } = await queuedOrder();
		const now = Math.floor(Date.now() / 1000);
		const signed = (claims: Record<string, unknown>) => sign(claims, env.SESSION_SECRET, "HS256");
		const forever = await signed({ kind: "attendee", sub: owner.userId, name: null, iat: now });
		const decade = await signed({
			kind: "attendee",
			sub: owner.userId,
			name: null,
			iat: now,
			exp: now + 10 * 365 * 86_400,
		});
		const longStaff = await signed({
			kind: "staff",
			sub: "x",
			store: store.id,
			role: "barista",
			name: null,
			pv: 1,
			iat: now,
			exp: now + 2 * 86_400,
		});
		const longDisplay = await signed({
			kind: "display",
			sub: "x",
			store: store.id,
			pv: 1,
			iat: now,
			exp: now + 7 * 86_400,
		});
		for (const token of [forever, decade])
			expectError(await call("GET", `/api/orders/${owner.orderId}`, { token }), 401, "unauthenticated");
		expectError(await call("GET", `/api/stores/${store.id}/qr`, { token: longStaff }), 401, "unauthenticated");
		expectError(await call("GET", `/api/stores/${store.id}/qr`, { token: longDisplay }), 401, "unauthenticated");
		// The same claims within their lifetimes are accepted.
		const month = await signed({ kind: "attendee", sub: owner.userId, name: null, iat: now, exp: now + 29 * 86_400 });
		expect((await call("GET", `/api/orders/${owner.orderId}`, { token: month })).status).toBe(200);
	});

	it("refuses a staff session that claims a role its PIN did not give", async () => {
		const { store, owner } = await queuedOrder();
		const now = Math.floor(Date.now() / 1000);
		const fake = await sign(
			{ kind: "staff", sub: "x", store: store.id, role: "admin", name: null, pv: 1, iat: now, exp: now + 60 },
			"guess",
			"HS256",
		);
		expectError(await act(owner.orderId, "claim", fake), 401, "unauthenticated");
	});

	it("signs staff out when a PIN changes", async () => {
		const { store, barista, owner } = await queuedOrder();
		const admin = await staff(store.id, adminPin);
		const changed = await call("PATCH", `/api/stores/${store.id}`, {
			token: admin,
			body: { pins: { barista: "5555" } },
		});
		expect(changed.status).toBe(200);
		const refused = await act(owner.orderId, "claim", barista);
		expectError(refused, 401, "unauthenticated");
		expect(refused.body.error.message).toMatch(/PIN changed/);
		expectError(
			await call("POST", `/api/stores/${store.id}/staff/session`, { body: { pin: "1234" } }),
			401,
			"pin_invalid",
		);
		expect((await act(owner.orderId, "claim", await staff(store.id, "5555"))).status).toBe(200);
	});

	it("lets a store admin sign every staff session out at once, without changing the PINs", async () => {
		const { store, barista, owner } = await queuedOrder();
		const admin = await staff(store.id, adminPin);
		expectError(await call("POST", `/api/stores/${store.id}/staff/revoke`, { token: barista }), 403, "forbidden");
		expect((await call("POST", `/api/stores/${store.id}/staff/revoke`, { token: admin })).status).toBe(200);
		expectError(await act(owner.orderId, "claim", barista), 401, "unauthenticated");
		expectError(await call("GET", `/api/stores/${store.id}/qr`, { token: admin }), 401, "unauthenticated");
		expect((await act(owner.orderId, "claim", await staff(store.id))).status).toBe(200);
	});

	it("gives baristas open/close, pause and sold-out, and keeps the rest for admins", async () => {
		const store = await createStore();
		const barista = await staff(store.id);
		const admin = await staff(store.id, adminPin);
		expect((await call("PATCH", `/api/stores/${store.id}`, { token: barista, body: { open: false } })).body.open).toBe(
			false,
		);
		expect(
			(await call("PATCH", `/api/stores/${store.id}`, { token: barista, body: { paused: true } })).body.paused,
		).toBe(true);
		expectError(
			await call("PATCH", `/api/stores/${store.id}`, { token: barista, body: { capacity: 99 } }),
			403,
			"forbidden",
		);
		expectError(
			await call("PATCH", `/api/stores/${store.id}`, { token: barista, body: { pins: { barista: "4321" } } }),
			403,
			"forbidden",
		);
		expectError(
			await call("PATCH", `/api/stores/${store.id}`, { token: (await attendee()).token, body: { open: true } }),
			403,
			"forbidden",
		);
		expectError(await call("PATCH", `/api/stores/${store.id}`, { body: { open: true } }), 401, "unauthenticated");
		expect(
			(await call("PATCH", `/api/stores/${store.id}`, { token: admin, body: { capacity: 99 } })).body.settings.capacity,
		).toBe(99);
	});

	it("creates stores only with the deployment's admin token, and each id once", async () => {
		const body = {
			id: `s-${crypto.randomUUID().slice(0, 8)}`,
			name: "Booth",
			pins: { barista: "1111", admin: "2222" },
		};
		expectError(await call("POST", "/api/stores", { body }), 401, "unauthenticated");
		expectError(await call("POST", "/api/stores", { body, token: (await attendee()).token }), 403, "forbidden");
		const created = await call("POST", "/api/stores", { body, token: env.ADMIN_TOKEN });
		expect(created.status).toBe(201);
		expect(created.body).toMatchObject({
			id: body.id,
			open: false,
			settings: { drinksPerCode: 10, codeWindowSeconds: 300, capacity: 20 },
		});
		expect(JSON.stringify(created.body)).not.toMatch(/1111|2222|salt/);
		expectError(await call("POST", "/api/stores", { body, token: env.ADMIN_TOKEN }), 409, "store_exists");
		const listed = await until(async () => {
			const reply = await call("GET", "/api/stores", { token: env.ADMIN_TOKEN });
			return reply.body.stores.find((s: { id: string }) => s.id === body.id);
		});
		expect(listed).toMatchObject({ name: "Booth", open: false });
	});
});

describe("bad input", () => {
	it("answers malformed order bodies with 400 in the error shape, and changes nothing", async () => {
		const store = await createStore();
		const barista = await staff(store.id);
		const { token, orderId } = await admitted(store.id, barista);
		const bodies: unknown[] = [
			{},
			{ drink: 42 },
			{ drink: null },
			{ drink: "latte", options: "oat" },
			{ drink: "latte", options: { milk: 7 } },
			{ drink: "latte", extra: true },
			{ drink: "latte", name: "" },
			{ drink: "latte", name: "x".repeat(31) },
			{ drink: "LATTE; DROP TABLE orders" },
			[],
			"latte",
		];
		for (const body of bodies) expectError(await submit(orderId, token, body), 400, "invalid_request");
		expectError(
			await call("PUT", `/api/orders/${orderId}`, {
				token,
				rawBody: "{not json",
				headers: { "content-type": "application/json" },
			}),
			400,
			"invalid_json",
		);
		const after = await call("GET", `/api/orders/${orderId}`, { token });
		expect(after.body.order).toMatchObject({ state: "AWAITING_ORDER", version: 1 });
	});

	it("refuses a body that is not JSON, and one that is too large", async () => {
		const store = await createStore();
		const barista = await staff(store.id);
		const { token, orderId } = await admitted(store.id, barista);
		const text = await call("PUT", `/api/orders/${orderId}`, {
			token,
			rawBody: "drink=latte",
			headers: { "content-type": "text/plain" },
		});
		expectError(text, 415, "unsupported_media_type");
		const huge = await call("PUT", `/api/orders/${orderId}`, {
			token,
			body: { drink: "latte", name: "x".repeat(200_000) },
		});
		expectError(huge, 413, "body_too_large");
		expect((await call("GET", `/api/orders/${orderId}`, { token })).body.order.version).toBe(1);
	});

	it("answers bad store settings with 400 naming the field, and changes nothing", async () => {
		const store = await createStore();
		const admin = await staff(store.id, adminPin);
		const cases: unknown[] = [
			{},
			{ capacity: 0 },
			{ capacity: "ten" },
			{ drinksPerCode: 1.5 },
			{ timeZone: "Mars/Olympus" },
			{ cancelOpenOrders: true },
			{ menu: { drinks: [] } },
			{ menu: { drinks: [{ id: "x", name: "X", options: ["nope"] }] } },
			{ pins: { barista: "12" } },
			{ open: "yes" },
			{ availability: { drinks: { unicorn: false } } },
		];
		for (const body of cases) {
			const reply = await call("PATCH", `/api/stores/${store.id}`, { token: admin, body });
			expectError(reply, 400, "invalid_request");
		}
		const bad = await call("PATCH", `/api/stores/${store.id}`, { token: admin, body: { capacity: -1 } });
		expect(bad.body.error.details.issues[0].path).toBe("capacity");
		const after = await call("GET", `/api/stores/${store.id}`);
		expect(after.body.version).toBe(store.version);
	});

	it("answers bad ids and unknown routes with JSON errors", async () => {
		const person = await attendee();
		expectError(await call("GET", "/api/orders/not-a-uuid", { token: person.token }), 400, "invalid_request");
		expectError(
			await call("GET", `/api/orders/${crypto.randomUUID()}`, { token: person.token }),
			404,
			"order_not_found",
		);
		expectError(await call("GET", "/api/stores/NOPE!"), 400, "invalid_request");
		expectError(await call("GET", "/api/stores/missing-store"), 404, "store_not_found");
		expectError(await call("GET", "/api/nothing-here"), 404, "not_found");
		expectError(
			await call("POST", `/api/orders/${crypto.randomUUID()}/brew`, { token: person.token }),
			404,
			"not_found",
		);
		expectError(await call("POST", "/api/stores/x/staff/session", { body: { pin: "abc" } }), 400, "invalid_request");
	});
});
