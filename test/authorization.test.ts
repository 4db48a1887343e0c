import { env, exports } from "cloudflare:workers";
import { sign } from "hono/jwt";
import { beforeAll, describe, expect, it } from "vitest";
import { accessRules, type Access } from "../workers/routes/describe";
import {
	act,
	adminPin,
	admitted,
	attendee,
	baristaPin,
	call,
	createStore,
	currentCode,
	display,
	displayPin,
	projected,
	staff,
	submit,
} from "./helpers";
import { socketProtocol } from "#contract/live.ts";
import { refusedSocket, upgrade } from "./sockets";

/**
 * The authorization matrix: every route of the route table (read from the generated OpenAPI document) ×
 * every kind of caller → the status its declared access rule promises. A route without a rule, or without a
 * fixture here, fails the test.
 */

const callers = [
	"no session",
	"attendee",
	"other attendee",
	"barista of this store",
	"barista of another store",
	"admin of this store",
	"deployment admin",
	"display of this store",
	"display of another store",
	"expired token",
	"forged token",
] as const;
type Caller = (typeof callers)[number];

function expected(access: Access, caller: Caller, success: number): number {
	const unsigned = caller === "no session" || caller === "expired token" || caller === "forged token";
	const attendeeCaller = caller === "attendee" || caller === "other attendee";
	const thisStoreStaff =
		caller === "barista of this store" || caller === "admin of this store" || caller === "deployment admin";
	// A display reads its own store's QR code and board, and is refused everything else.
	const displayCaller = caller === "display of this store" || caller === "display of another store";
	switch (access) {
		case "anyone":
			return success;
		case "signedIn":
			return unsigned ? 401 : success;
		case "board":
			return caller === "expired token" || caller === "forged token" ? 401 : success;
		case "storeScreen":
			return unsigned ? 401 : thisStoreStaff || caller === "display of this store" ? success : 403;
		case "attendee":
			return unsigned ? 401 : attendeeCaller ? success : 403;
		case "scanner":
			return caller === "no session" || attendeeCaller ? success : unsigned ? 401 : 403;
		case "deploymentAdmin":
			return unsigned ? 401 : caller === "deployment admin" ? success : 403;
		case "storeStaff":
			return unsigned ? 401 : thisStoreStaff ? success : 403;
		case "storeAdmin":
			return unsigned ? 401 : caller === "admin of this store" || caller === "deployment admin" ? success : 403;
		case "orderOwner":
			return unsigned ? 401 : caller === "attendee" ? success : caller === "other attendee" ? 404 : 403;
		case "orderViewer":
			return unsigned ? 401 : displayCaller ? 403 : caller === "attendee" || thisStoreStaff ? success : 404;
		case "orderStaff":
			return unsigned ? 401 : attendeeCaller || displayCaller ? 403 : thisStoreStaff ? success : 404;
	}
}

interface Request {
	path: string;
	body?: unknown;
	socket?: boolean;
	/** When the route documents several successes, the one this request earns. */
	success?: number;
	/** The order's attendee, who plays the "attendee" caller for this request. */
	owner?: string;
	/** Callers played by other sessions for this request. */
	as?: Partial<Record<Caller, string>>;
}

interface World {
	storeId: string;
	/** A second store of the same kind, for requests that would sign the matrix's own staff out. */
	spareStore: string;
	tokens: Record<Caller, string | undefined>;
	/** A fresh order of the store, owned by a fresh attendee, brought to `state`. */
	order(state: "AWAITING_ORDER" | "QUEUED" | "MAKING" | "READY"): Promise<{ id: string; owner: string }>;
	subscription: { endpoint: string; keys: { p256dh: string; auth: string } };
}

function onOrder(order: { id: string; owner: string }, suffix = "", extra: Partial<Request> = {}): Request {
	return { path: `/api/orders/${order.id}${suffix}`, owner: order.owner, ...extra };
}

/** An endpoint for a store that does not exist: it never receives anything. */
const matrixEndpoint = { url: "https://hooks.example.com/matrix", pattern: "*", stores: ["matrix-nowhere"] };

/** A fresh webhook endpoint per request, so deleting one leaves the next caller another. */
async function webhookEndpoint(): Promise<string> {
	const reply = await call<{ endpoint: { id: string } }>("POST", "/api/admin/webhooks", {
		token: env.ADMIN_TOKEN,
		body: matrixEndpoint,
	});
	return reply.body.endpoint.id;
}

let sharedJourney: Promise<string> | undefined;

/** One venue event and one store of its for every caller: putting a store in (or out) again changes nothing. */
let matrixEvent: Promise<{ event: string; store: string }> | undefined;
function venueEvent(): Promise<{ event: string; store: string }> {
	matrixEvent ??= (async () => {
		const event = `matrix-${crypto.randomUUID().slice(0, 8)}`;
		await call("PUT", `/api/venue-events/${event}`, {
			token: env.ADMIN_TOKEN,
			body: { name: "Matrix Summit", timeZone: "UTC", dailyLimit: 3 },
		});
		return { event, store: (await createStore()).id };
	})();
	return matrixEvent;
}

const fixtures: Record<string, (world: World) => Promise<Request>> = {
	"GET /api/health": async () => ({ path: "/api/health" }),
	"GET /api/openapi.json": async () => ({ path: "/api/openapi.json" }),
	"POST /api/session": async () => ({ path: "/api/session", body: { name: "Matrix" } }),
	"GET /api/session": async () => ({ path: "/api/session" }),
	"POST /api/stores/{store}/staff/session": async (w) => ({
		path: `/api/stores/${w.storeId}/staff/session`,
		body: { pin: baristaPin },
	}),
	"POST /api/stores/{store}/display/session": async (w) => ({
		path: `/api/stores/${w.storeId}/display/session`,
		body: { pin: displayPin },
	}),
	"POST /api/stores/{store}/display/pairings": async (w) => ({ path: `/api/stores/${w.storeId}/display/pairings` }),
	"GET /api/stores/{store}/staff/lockouts": async (w) => ({ path: `/api/stores/${w.storeId}/staff/lockouts` }),
	"DELETE /api/stores/{store}/staff/lockouts": async (w) => ({ path: `/api/stores/${w.storeId}/staff/lockouts` }),
	// Revoking signs the matrix's own staff out: it runs on a store of its own.
	"POST /api/stores/{store}/staff/revoke": async (w) => ({
		path: `/api/stores/${w.spareStore}/staff/revoke`,
		as: {
			"barista of this store": await staff(w.spareStore),
			"admin of this store": await staff(w.spareStore, adminPin),
		},
	}),
	"POST /api/stores": async () => ({
		path: "/api/stores",
		body: { id: `m-${crypto.randomUUID().slice(0, 8)}`, name: "Matrix", pins: { barista: "1111", admin: "2222" } },
	}),
	"GET /api/stores": async () => ({ path: "/api/stores" }),
	"PUT /api/venue-events/{event}": async () => ({
		path: `/api/venue-events/${(await venueEvent()).event}`,
		body: { name: "Matrix Summit", timeZone: "UTC", dailyLimit: 3 },
	}),
	"GET /api/venue-events": async () => ({ path: "/api/venue-events" }),
	"GET /api/venue-events/{event}": async () => ({ path: `/api/venue-events/${(await venueEvent()).event}` }),
	"GET /api/venue-events/{event}/board": async () => ({
		path: `/api/venue-events/${(await venueEvent()).event}/board`,
	}),
	"PUT /api/venue-events/{event}/stores/{store}": async () => {
		const { event, store } = await venueEvent();
		return { path: `/api/venue-events/${event}/stores/${store}` };
	},
	"DELETE /api/venue-events/{event}/stores/{store}": async () => {
		const { event, store } = await venueEvent();
		return { path: `/api/venue-events/${event}/stores/${store}` };
	},
	"GET /api/stores/{store}": async (w) => ({ path: `/api/stores/${w.storeId}` }),
	"PATCH /api/stores/{store}": async (w) => ({ path: `/api/stores/${w.storeId}`, body: { paused: false } }),
	"GET /api/stores/{store}/qr": async (w) => ({ path: `/api/stores/${w.storeId}/qr` }),
	"POST /api/stores/{store}/scans": async (w) => ({
		success: 201,
		path: `/api/stores/${w.storeId}/scans`,
		body: { code: (await currentCode(w.storeId, w.tokens["barista of this store"]!)).code },
	}),
	"POST /api/stores/{store}/walk-ups": async (w) => ({
		path: `/api/stores/${w.storeId}/walk-ups`,
		body: { drink: "espresso" },
	}),
	// An order that is no part of a burst: nothing is ended, whoever asks.
	"POST /api/stores/{store}/bursts/end": async (w) => ({
		path: `/api/stores/${w.storeId}/bursts/end`,
		body: { orderIds: [crypto.randomUUID()] },
	}),
	"GET /api/stores/{store}/orders": async (w) => ({ path: `/api/stores/${w.storeId}/orders` }),
	"GET /api/stores/{store}/analytics": async (w) => ({ path: `/api/stores/${w.storeId}/analytics` }),
	"GET /api/stores/{store}/ws": async (w) => ({ path: `/api/stores/${w.storeId}/ws`, socket: true }),
	"PUT /api/orders/{id}": async (w) => onOrder(await w.order("AWAITING_ORDER"), "", { body: { drink: "latte" } }),
	"GET /api/orders/{id}": async (w) => onOrder(await w.order("QUEUED")),
	"POST /api/orders/{id}/claim": async (w) => onOrder(await w.order("QUEUED"), "/claim"),
	"POST /api/orders/{id}/unclaim": async (w) => onOrder(await w.order("MAKING"), "/unclaim"),
	"POST /api/orders/{id}/complete": async (w) => onOrder(await w.order("MAKING"), "/complete"),
	"POST /api/orders/{id}/cancel": async (w) => onOrder(await w.order("QUEUED"), "/cancel"),
	"POST /api/orders/{id}/remind": async (w) => onOrder(await w.order("READY"), "/remind"),
	"GET /api/orders/{id}/ws": async (w) => onOrder(await w.order("QUEUED"), "/ws", { socket: true }),
	"GET /api/orders/{id}/journey": async (w) => onOrder(await w.order("QUEUED"), "/journey"),
	"POST /api/orders/{id}/journey/share": async (w) => onOrder(await w.order("QUEUED"), "/journey/share"),
	// A link is read-only: one shared order serves every caller.
	"GET /api/journeys/{token}": async (w) => {
		sharedJourney ??= (async () => {
			const order = await w.order("READY");
			const shared = await call<{ token: string }>("POST", `/api/orders/${order.id}/journey/share`, {
				token: order.owner,
			});
			await projected(order.id, 4);
			return `/api/journeys/${shared.body.token}`;
		})();
		return { path: await sharedJourney };
	},
	"GET /api/me/orders": async () => ({ path: "/api/me/orders" }),
	"DELETE /api/me": async () => ({ path: "/api/me", owner: (await attendee("Forget me")).token }),
	"GET /api/push/key": async () => ({ path: "/api/push/key" }),
	"POST /api/orders/{id}/push": async (w) => onOrder(await w.order("QUEUED"), "/push", { body: w.subscription }),
	"DELETE /api/orders/{id}/push": async (w) =>
		onOrder(await w.order("QUEUED"), `/push?endpoint=${encodeURIComponent(w.subscription.endpoint)}`),
	"GET /api/admin/meter": async () => ({ path: "/api/admin/meter" }),
	"DELETE /api/admin/meter": async () => ({ path: "/api/admin/meter" }),
	"GET /api/admin/events/ws": async () => ({ path: "/api/admin/events/ws", socket: true }),
	// An empty range in the past: nothing is re-sent.
	"POST /api/admin/replay": async () => ({
		path: "/api/admin/replay",
		body: { replay: "matrix", from: "2020-01-01T00:00:00Z", to: "2020-01-02T00:00:00Z" },
	}),
	"GET /api/admin/dead-letters": async () => ({ path: "/api/admin/dead-letters?limit=1" }),
	// An id far beyond any row: the redrive touches nothing, whoever calls.
	"POST /api/admin/dead-letters/redrive": async () => ({
		path: "/api/admin/dead-letters/redrive",
		body: { ids: [2 ** 40] },
	}),
	"GET /api/admin/webhooks": async () => ({ path: "/api/admin/webhooks" }),
	"POST /api/admin/webhooks": async () => ({ path: "/api/admin/webhooks", body: matrixEndpoint }),
	"GET /api/admin/webhooks/{id}": async () => ({ path: `/api/admin/webhooks/${await webhookEndpoint()}` }),
	"PATCH /api/admin/webhooks/{id}": async () => ({
		path: `/api/admin/webhooks/${await webhookEndpoint()}`,
		body: { description: "Changed" },
	}),
	"DELETE /api/admin/webhooks/{id}": async () => ({ path: `/api/admin/webhooks/${await webhookEndpoint()}` }),
	"POST /api/admin/webhooks/{id}/pause": async () => ({ path: `/api/admin/webhooks/${await webhookEndpoint()}/pause` }),
	"POST /api/admin/webhooks/{id}/resume": async () => ({
		path: `/api/admin/webhooks/${await webhookEndpoint()}/resume`,
	}),
	"POST /api/admin/webhooks/{id}/rotate": async () => ({
		path: `/api/admin/webhooks/${await webhookEndpoint()}/rotate`,
	}),
	"GET /api/admin/webhooks/{id}/deliveries": async () => ({
		path: `/api/admin/webhooks/${await webhookEndpoint()}/deliveries`,
	}),
	"POST /api/admin/webhooks/{id}/redrive": async () => ({
		path: `/api/admin/webhooks/${await webhookEndpoint()}/redrive`,
		body: { all: true },
	}),
	"DELETE /api/admin/dead-letters/{id}": async () => {
		const row = await env.DB.prepare(
			`INSERT INTO dead_letters (message_id, body, error, received_at) VALUES ('matrix', '{}', 'bad envelope', ?) RETURNING id`,
		)
			.bind(Date.now())
			.first<{ id: number }>();
		return { path: `/api/admin/dead-letters/${row!.id}` };
	},
};

async function send(method: string, request: Request, token: string | undefined): Promise<number> {
	if (request.socket) {
		const response = await upgrade(request.path, token);
		if (response.webSocket) {
			response.webSocket.accept();
			response.webSocket.close(1000, "matrix");
		} else {
			await response.body?.cancel();
		}
		// A browser fails a handshake that does not select the subprotocol it offered: not a success.
		if (response.status === 101 && response.headers.get("sec-websocket-protocol") !== socketProtocol) return -101;
		return response.status;
	}
	return (await call(method, request.path, { token, body: request.body })).status;
}

const base64url = (bytes: ArrayBuffer | Uint8Array) =>
	btoa(String.fromCharCode(...new Uint8Array(bytes)))
		.replaceAll("+", "-")
		.replaceAll("/", "_")
		.replace(/=+$/, "");

let document: { paths: Record<string, Record<string, { "x-access"?: Access; responses: Record<string, unknown> }>> };
let world: World;

beforeAll(async () => {
	document = (await call("GET", "/api/openapi.json")).body;
	const store = await createStore({ drinksPerCode: 10_000, capacity: 10_000, maxOrdersPerUserPerDay: 1_000 });
	const other = await createStore();
	const owner = await attendee("Owner");
	const now = Math.floor(Date.now() / 1000);
	const barista = await staff(store.id);
	const keys = (await crypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, true, [
		"deriveBits",
	])) as CryptoKeyPair;
	world = {
		storeId: store.id,
		spareStore: (await createStore()).id,
		tokens: {
			"no session": undefined,
			attendee: owner.token,
			"other attendee": (await attendee("Other")).token,
			"barista of this store": barista,
			"barista of another store": await staff(other.id),
			"admin of this store": await staff(store.id, adminPin),
			"deployment admin": env.ADMIN_TOKEN,
			"display of this store": await display(store.id, barista),
			"display of another store": await display(other.id),
			"expired token": await sign(
				{ kind: "attendee", sub: owner.userId, name: null, iat: now - 7200, exp: now - 3600 },
				env.SESSION_SECRET,
				"HS256",
			),
			"forged token": await sign(
				{ kind: "attendee", sub: owner.userId, name: null, iat: now, exp: now + 3600 },
				"not-our-secret",
				"HS256",
			),
		},
		async order(state) {
			const { token, orderId } = await admitted(store.id, barista, "Owner");
			if (state !== "AWAITING_ORDER") await submit(orderId, token);
			if (state === "MAKING" || state === "READY") await act(orderId, "claim", barista);
			if (state === "READY") await act(orderId, "complete", barista);
			return { id: orderId, owner: token };
		},
		subscription: {
			endpoint: "https://fcm.push.example.test/matrix",
			keys: {
				p256dh: base64url((await crypto.subtle.exportKey("raw", keys.publicKey)) as ArrayBuffer),
				auth: base64url(crypto.getRandomValues(new Uint8Array(16))),
			},
		},
	};
});

describe("the authorization matrix", () => {
	it("has an access rule and a fixture for every route in the route table", () => {
		const routes = Object.entries(document.paths).flatMap(([path, methods]) =>
			Object.entries(methods).map(([method, operation]) => ({
				key: `${method.toUpperCase()} /api${path}`,
				access: operation["x-access"],
			})),
		);
		const withoutRule = routes.filter((r) => !r.access || !(r.access in accessRules)).map((r) => r.key);
		const withoutFixture = routes.filter((r) => !fixtures[r.key]).map((r) => r.key);
		expect(withoutRule, "routes without an access rule").toEqual([]);
		expect(withoutFixture, "routes without a fixture in this test").toEqual([]);
		expect(routes.length).toBeGreaterThanOrEqual(18);
	});

	it("gives every caller the status the route's rule promises", async () => {
		const mismatches: string[] = [];
		let checked = 0;
		for (const [path, methods] of Object.entries(document.paths)) {
			for (const [method, operation] of Object.entries(methods)) {
				const key = `${method.toUpperCase()} /api${path}`;
				const access = operation["x-access"];
				const fixture = fixtures[key];
				if (!access || !fixture) continue;
				const documented = Math.min(
					...Object.keys(operation.responses)
						.map(Number)
						.filter((s) => s < 300),
				);
				for (const caller of callers) {
					const request = await fixture(world);
					const token =
						request.as?.[caller] ?? (caller === "attendee" && request.owner ? request.owner : world.tokens[caller]);
					const status = await send(method.toUpperCase(), request, token);
					const want = expected(access, caller, request.success ?? documented);
					checked++;
					if (status !== want) mismatches.push(`${key} (${access}) as ${caller}: got ${status}, want ${want}`);
				}
			}
		}
		expect(mismatches).toEqual([]);
		expect(checked).toBeGreaterThanOrEqual(18 * callers.length);
	});
});

describe("how sockets authenticate", () => {
	/** Every socket route of the route table, with the fixture's request and a caller it admits. */
	async function sockets() {
		const found = Object.entries(document.paths).flatMap(([path, methods]) =>
			Object.entries(methods).map(([method, operation]) => ({
				key: `${method.toUpperCase()} /api${path}`,
				access: operation["x-access"]!,
			})),
		);
		const admitted: Partial<Record<Access, Caller>> = {
			orderViewer: "attendee",
			board: "display of this store",
			deploymentAdmin: "deployment admin",
		};
		const routes = [];
		for (const { key, access } of found) {
			const request = await fixtures[key]!(world);
			if (!request.socket) continue;
			const caller = admitted[access]!;
			routes.push({
				key,
				request,
				token: caller === "attendee" && request.owner ? request.owner : world.tokens[caller]!,
			});
		}
		expect(routes.map((r) => r.key).sort()).toEqual([
			"GET /api/admin/events/ws",
			"GET /api/orders/{id}/ws",
			"GET /api/stores/{store}/ws",
		]);
		return routes;
	}

	it("takes the session as the subprotocol beside edgepresso, and selects edgepresso", async () => {
		for (const { key, request, token } of await sockets()) {
			const response = await upgrade(request.path, token);
			expect([key, response.status, response.headers.get("sec-websocket-protocol")]).toEqual([key, 101, "edgepresso"]);
			response.webSocket!.accept();
			response.webSocket!.close(1000, "matrix");
		}
	});

	it("refuses a token in the URL, on sockets and everywhere else", async () => {
		for (const { key, request, token } of await sockets()) {
			const url = `${request.path}${request.path.includes("?") ? "&" : "?"}token=${token}`;
			const refused = await refusedSocket(url);
			expect([key, refused.status, refused.body.error.code]).toEqual([key, 400, "token_in_url"]);
		}
		const plain = await call("GET", `/api/me/orders?token=${world.tokens.attendee}`);
		expect([plain.status, plain.body.error.code]).toEqual([400, "token_in_url"]);
	});

	it("refuses an upgrade that offers a token without the edgepresso subprotocol", async () => {
		const [order] = (await sockets()).filter((r) => r.key === "GET /api/orders/{id}/ws");
		const response = await exports.default.fetch(
			new Request(`https://edgepresso.test${order!.request.path}`, {
				headers: { upgrade: "websocket", "sec-websocket-protocol": order!.token },
			}),
		);
		expect([response.status, ((await response.json()) as any).error.code]).toEqual([400, "invalid_request"]);
	});

	it("opens a socket on the session cookie only from this origin", async () => {
		const created = await call("POST", "/api/session", { body: { name: "Cookie" } });
		const cookie = created.headers.get("set-cookie")!.split(";")[0]!;
		const store = await createStore();
		const barista = await staff(store.id);
		const { code } = await currentCode(store.id, barista);
		const scanned = await call("POST", `/api/stores/${store.id}/scans`, {
			body: { code },
			headers: { cookie, origin: "https://edgepresso.test" },
		});
		const path = `/api/orders/${scanned.body.orderId}/ws`;
		const foreign = await refusedSocket(path, undefined, { cookie, origin: "https://evil.example" });
		expect([foreign.status, foreign.body.error.code]).toEqual([403, "csrf_refused"]);
		const crossSite = await refusedSocket(path, undefined, { cookie, "sec-fetch-site": "cross-site" });
		expect(crossSite.status).toBe(403);
		expect((await refusedSocket(path, undefined, { cookie, origin: "https://edgepresso.test" })).status).toBe(101);
	});
});
