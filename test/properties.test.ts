import { env } from "cloudflare:workers";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { ScanBody, SubmitOrderBody } from "#contract/order.ts";
import { PushSubscriptionBody } from "#contract/push.ts";
import { CreateStoreBody, PatchStoreBody } from "#contract/store.ts";
import { RedriveBody } from "../workers/events/dead-letters";
import { ReplayBody } from "../workers/events/replay";
import { admitted, call, createStore, currentCode, staff, submit } from "./helpers";

/**
 * Property-based bad input over every endpoint of the route table: random and malformed bodies, wrong
 * types, huge and unicode strings, missing and extra fields, random path segments. Whatever arrives, the
 * answer is a 4xx in the error shape (never a 5xx), and nothing changes.
 */

/** The request schemas, so a generated body that happens to be valid is not sent as "bad input". */
const bodySchemas: Record<string, z.ZodType> = {
	"POST /api/stores": CreateStoreBody,
	"PATCH /api/stores/{store}": PatchStoreBody,
	"POST /api/stores/{store}/scans": ScanBody,
	"PUT /api/orders/{id}": SubmitOrderBody,
	"POST /api/stores/{store}/walk-ups": SubmitOrderBody,
	"POST /api/orders/{id}/push": PushSubscriptionBody,
	"POST /api/admin/replay": ReplayBody,
	"POST /api/admin/dead-letters/redrive": RedriveBody,
};

/** Routes whose body is optional or absent: random bodies cannot be told apart from valid ones there. */
const freeBody = new Set(["POST /api/session", "GET /api/stores/{store}", "GET /api/health"]);

const fieldsOf: Record<string, string[]> = {
	"POST /api/stores": ["id", "name", "settings", "menu", "pins"],
	"PATCH /api/stores/{store}": ["open", "paused", "capacity", "menu", "availability", "pins", "timeZone"],
	"POST /api/stores/{store}/scans": ["code"],
	"PUT /api/orders/{id}": ["drink", "options", "name"],
	"POST /api/stores/{store}/walk-ups": ["drink", "options", "name"],
	"POST /api/stores/{store}/staff/session": ["pin", "name"],
	"POST /api/orders/{id}/push": ["endpoint", "keys", "expirationTime"],
	"POST /api/admin/replay": ["from", "to", "store", "rebuild", "replay", "cursor"],
	"POST /api/admin/dead-letters/redrive": ["ids", "through"],
};

const weird = fc.oneof(
	fc.string({ maxLength: 50 }),
	fc.string({ unit: "grapheme", maxLength: 40 }),
	fc.string({ minLength: 300, maxLength: 3000 }),
	fc.integer(),
	fc.double(),
	fc.boolean(),
	fc.constant(null),
	fc.array(fc.anything({ maxDepth: 2 }), { maxLength: 5 }),
	fc.dictionary(fc.string({ maxLength: 10 }), fc.anything({ maxDepth: 2 }), { maxKeys: 5 }),
);

/** Bodies shaped like the route's own (its field names, wrong values, extra fields) and bodies of any shape at all. */
function bodies(route: string): fc.Arbitrary<unknown> {
	const fields = fieldsOf[route] ?? ["x"];
	const shaped = fc.dictionary(fc.oneof(fc.constantFrom(...fields), fc.string({ maxLength: 12 })), weird, {
		maxKeys: 6,
	});
	return fc.oneof(
		{ weight: 3, arbitrary: shaped },
		{ weight: 2, arbitrary: fc.anything({ maxDepth: 3 }) },
		{ weight: 1, arbitrary: weird },
	);
}

/** Idempotency-Key values no write accepts: empty, too long, or with a character that is not printable ASCII. */
const malformedKey = fc.oneof(
	fc.constant(""),
	fc.stringMatching(/^[A-Za-z0-9]{256,400}$/),
	fc
		.tuple(
			fc.stringMatching(/^[A-Za-z0-9-]{1,20}$/),
			fc.constantFrom("\t", "\x7f"),
			fc.stringMatching(/^[A-Za-z0-9-]{1,20}$/),
		)
		.map((parts) => parts.join("")),
);

/** Any Idempotency-Key a client might send, or none. */
const anyKey = fc.option(fc.oneof(fc.uuid(), fc.string({ minLength: 1, maxLength: 255 }), malformedKey), {
	nil: undefined,
});

const segment = fc.oneof(
	fc.string({ maxLength: 40 }),
	fc.string({ unit: "grapheme", maxLength: 20 }),
	fc.constantFrom("..", "%2e%2e", "%00", "00000000-0000-0000-0000-000000000000", "a".repeat(500), "NOPE!", "🍵"),
);

interface World {
	storeId: string;
	orderId: string;
	tokens: { attendee: string; barista: string; admin: string };
}

async function snapshot(world: World) {
	const store = (await call("GET", `/api/stores/${world.storeId}`)).body;
	const order = (await call("GET", `/api/orders/${world.orderId}`, { token: world.tokens.attendee })).body.order;
	const qr = await currentCode(world.storeId, world.tokens.barista);
	return {
		version: store.version,
		openOrders: store.openOrders,
		order: order.version,
		state: order.state,
		tokensLeft: qr.tokensLeft,
		code: qr.code,
	};
}

/** The caller each route needs to get past authentication, so the input itself is what gets checked. */
function callerFor(route: string, world: World): string {
	if (route === "POST /api/stores" || route === "GET /api/stores" || route.includes(" /api/admin/")) {
		return world.tokens.admin;
	}
	if (
		/^(GET|PATCH) \/api\/stores\/\{store\}(\/qr|\/orders)?$/.test(route) ||
		/\/(claim|unclaim|complete|remind|walk-ups)$/.test(route)
	) {
		return world.tokens.barista;
	}
	return world.tokens.attendee;
}

let world: World;
let routes: { key: string; method: string; path: string; hasBody: boolean; keyed: boolean }[];

beforeAll(async () => {
	const store = await createStore();
	const barista = await staff(store.id);
	const me = await admitted(store.id, barista, "Fuzz");
	await submit(me.orderId, me.token);
	world = { storeId: store.id, orderId: me.orderId, tokens: { attendee: me.token, barista, admin: env.ADMIN_TOKEN } };
	const doc = (await call("GET", "/api/openapi.json")).body as {
		paths: Record<string, Record<string, { requestBody?: unknown; parameters?: { name: string }[] }>>;
	};
	routes = Object.entries(doc.paths)
		.flatMap(([path, methods]) =>
			Object.entries(methods).map(([method, operation]) => ({
				key: `${method.toUpperCase()} /api${path}`,
				method: method.toUpperCase(),
				path,
				hasBody: operation.requestBody !== undefined,
				keyed: operation.parameters?.some((p) => p.name === "Idempotency-Key") ?? false,
			})),
		)
		// Sockets are covered by the WebSocket tests; DELETE /me would forget the caller (it has no input to fuzz).
		.filter((r) => !r.path.endsWith("/ws") && r.key !== "DELETE /api/me");
});

describe("bad input, generated", () => {
	it("gets a 4xx in the error shape from every endpoint, never a 5xx, and changes nothing", async () => {
		const before = await snapshot(world);
		let runs = 0;
		for (const route of routes) {
			const schema = bodySchemas[route.key];
			const { hasBody } = route;
			const hasParams = route.path.includes("{");
			// A move with no input (claim, cancel…) on the real order is a valid request: fuzz only its path.
			const onlyBadPaths = hasParams && !hasBody && route.method !== "GET";
			await fc.assert(
				fc.asyncProperty(
					hasBody ? bodies(route.key) : fc.constant(undefined),
					onlyBadPaths ? fc.constant(true) : hasParams ? fc.boolean() : fc.constant(false),
					segment,
					fc.dictionary(
						fc.constantFrom("state", "limit", "before", "role", "token", "endpoint", "x"),
						fc.string({ maxLength: 30 }),
						{ maxKeys: 3 },
					),
					anyKey,
					async (body, breakPath, junk, query, key) => {
						// A body the route's own schema accepts is a valid request, not bad input (it may change things).
						fc.pre(!(schema?.safeParse(body).success ?? false));
						const realPath = route.path.replace("{store}", world.storeId).replace("{id}", world.orderId);
						const path = breakPath ? route.path.replace(/\{\w+\}/g, encodeURIComponent(junk)) : realPath;
						const search = new URLSearchParams(query).toString();
						const headers: Record<string, string> = key === undefined ? {} : { "Idempotency-Key": key };
						const reply = await call(route.method, `/api${path}${search ? `?${search}` : ""}`, {
							token: callerFor(route.key, world),
							body,
							headers,
						});
						runs++;
						const label = `${route.key} ${path}?${search} ${JSON.stringify(body)?.slice(0, 200)} key ${JSON.stringify(key)?.slice(0, 40)}`;
						expect(reply.status, label).toBeLessThan(500);
						if (reply.status >= 400) {
							expect(reply.body, label).toEqual({
								error: expect.objectContaining({ code: expect.any(String), message: expect.any(String) }),
							});
						}
						// Input that is certainly bad (a path that names nothing, a body its schema refuses) is refused.
						const badBody = hasBody && !freeBody.has(route.key) && !(schema?.safeParse(body).success ?? false);
						if (breakPath || badBody) expect(reply.status, label).toBeGreaterThanOrEqual(400);
					},
				),
				{ numRuns: 40 },
			);
		}
		expect(await snapshot(world)).toEqual(before);
		expect(runs).toBeGreaterThan(routes.length * 10);
	});

	it("refuses a malformed Idempotency-Key on every write that takes one, even on a valid request, and changes nothing", async () => {
		const before = await snapshot(world);
		const { code } = await currentCode(world.storeId, world.tokens.barista);
		// A request each write would act on (or refuse in the order's state) if its key were well formed.
		const valid: Record<string, unknown> = {
			"PUT /api/orders/{id}": { drink: "espresso" },
			"PATCH /api/stores/{store}": { paused: true, capacity: 1 },
			"POST /api/stores/{store}/scans": { code },
			"POST /api/stores/{store}/walk-ups": { drink: "espresso" },
		};
		const keyed = routes.filter((route) => route.keyed);
		expect(keyed.length).toBeGreaterThanOrEqual(9);
		for (const route of keyed) {
			const path = route.path.replace("{store}", world.storeId).replace("{id}", world.orderId);
			await fc.assert(
				fc.asyncProperty(malformedKey, async (key) => {
					const reply = await call(route.method, `/api${path}`, {
						token: callerFor(route.key, world),
						body: valid[route.key],
						headers: { "Idempotency-Key": key },
					});
					const label = `${route.key} key ${JSON.stringify(key).slice(0, 40)}`;
					expect([reply.status, reply.body.error?.code], label).toEqual([400, "invalid_request"]);
					expect(reply.body.error.details.issues[0].path, label).toBe("Idempotency-Key");
				}),
				{ numRuns: 20 },
			);
		}
		expect(await snapshot(world)).toEqual(before);
	});

	it("refuses a request without its body on every route that needs one, and changes nothing", async () => {
		const before = await snapshot(world);
		const needy = routes.filter((route) => route.hasBody && !freeBody.has(route.key));
		expect(needy.length).toBeGreaterThanOrEqual(8);
		for (const route of needy) {
			const path = route.path.replace("{store}", world.storeId).replace("{id}", world.orderId);
			const reply = await call(route.method, `/api${path}`, { token: callerFor(route.key, world) });
			expect(reply.status, route.key).toBeGreaterThanOrEqual(400);
			expect(reply.status, route.key).toBeLessThan(500);
			expect(reply.body, route.key).toEqual({
				error: expect.objectContaining({ code: expect.any(String), message: expect.any(String) }),
			});
		}
		expect(await snapshot(world)).toEqual(before);
	});

	it("answers bodies that are not JSON at all, and oversized ones, in the error shape", async () => {
		const path = `/api/orders/${world.orderId}`;
		for (const raw of ["", "{", "[1,2", "\u0000\u0001", "drink=latte", '{"drink": "latte"', "null", "🍵".repeat(100)]) {
			const reply = await call("PUT", path, {
				token: world.tokens.attendee,
				rawBody: raw,
				headers: { "content-type": "application/json" },
			});
			expect(reply.status, raw).toBeGreaterThanOrEqual(400);
			expect(reply.status, raw).toBeLessThan(500);
			expect(reply.body.error.code).toMatch(/invalid_json|invalid_request/);
		}
		const huge = await call("PUT", path, {
			token: world.tokens.attendee,
			rawBody: "x".repeat(2_000_000),
			headers: { "content-type": "application/json" },
		});
		expect([huge.status, huge.body.error.code]).toEqual([413, "body_too_large"]);
		expect((await call("GET", path, { token: world.tokens.attendee })).body.order.state).toBe("QUEUED");
	});
});
