import type { Context } from "hono";
import { z } from "zod";
import type { Actor } from "#contract/actor.ts";
import type { Result } from "#contract/errors.ts";
import { Order, OrderList, OrderState, ScanBody, ScanResult, SubmitOrderBody } from "#contract/order.ts";
import { CreateStoreBody, PatchStoreBody, QrView, Slug, StoreView, orderPageUrl } from "#contract/store.ts";
import { requireAdminToken, requireAttendee, requireScreen, requireStaff, type AuthEnv } from "../http/auth";
import { unwrap } from "../http/errors";
import { answer, idempotencyKey } from "../http/idempotency";
import { clientIp, coarseLimit } from "../http/limits";
import { challengeRequired, turnstileOn } from "../http/turnstile";
import { listOrders, listStores } from "../read-model/read-model";
import { openWalkUp } from "../sagas/walk-up";
import { placement } from "../../durable-objects/store/store";
import { jsonBody, jsonResponse, keyedWrite, refusals, replayableResponse, route, router } from "./describe";
import { OrderEnvelope } from "./orders";
import { AttendeeSession, startAttendee } from "./sessions";

const StoreParams = z.object({ store: Slug });

const StoreSummary = z
	.object({ stores: z.array(z.object({ id: z.string(), name: z.string(), open: z.boolean(), updatedAt: z.string() })) })
	.meta({ id: "StoreList" });

const create = route("deploymentAdmin", {
	method: "post",
	path: "/stores",
	operationId: "createStore",
	summary: "Create a store (deployment admin token)",
	request: { body: jsonBody(CreateStoreBody, "The store: id, name, optional settings and menu, staff PINs") },
	responses: { 201: jsonResponse(StoreView, "The new store"), ...refusals(409) },
});

const list = route("deploymentAdmin", {
	method: "get",
	path: "/stores",
	operationId: "listStores",
	summary: "List stores (deployment admin token)",
	responses: { 200: jsonResponse(StoreSummary, "Every store, by name") },
});

const read = route("anyone", {
	method: "get",
	path: "/stores/{store}",
	operationId: "getStore",
	summary: "The public view of a store: name, open, menu with availability",
	request: { params: StoreParams },
	responses: { 200: jsonResponse(StoreView, "The store") },
});

const patch = route("storeStaff", {
	method: "patch",
	path: "/stores/{store}",
	operationId: "updateStore",
	summary: "Change settings (admin), or open/close, pause and sold-out (barista)",
	...keyedWrite,
	request: { params: StoreParams, body: jsonBody(PatchStoreBody, "The fields to change") },
	responses: { 200: replayableResponse(StoreView, "The store after the change") },
});

const qr = route("storeScreen", {
	method: "get",
	path: "/stores/{store}/qr",
	operationId: "getQrCode",
	summary: "The QR code of the current window (staff, or the store's display)",
	request: { params: StoreParams },
	responses: { 200: jsonResponse(QrView, "The code, its URL, tokens left and expiry") },
});

/**
 * A scan's answer carries everything the phone needs to show the menu, so that opening the QR code's URL
 * costs one round trip: the order, the store (menu and availability) and, for a phone that had none, its
 * new session. A scan sent with an Idempotency-Key answers with the admission alone, which a retry replays
 * exactly as it was.
 */
const ScanReply = ScanResult.extend({
	order: Order.optional(),
	store: StoreView.optional(),
	session: AttendeeSession.optional(),
}).meta({
	id: "ScanReply",
});

const scan = route("scanner", {
	method: "post",
	path: "/stores/{store}/scans",
	operationId: "scanCode",
	summary: "Redeem a QR code: admits the attendee with a new order",
	description:
		"201 with a new order; 200 with the same order when the attendee scans the same code again while it is open. " +
		"409 `network_limit` when the store sets `drinksPerNetworkPerCode` and the caller's network (an IPv4 address, an IPv6 /64) has had that many from this code. " +
		"Without an Idempotency-Key the answer also carries the order and the store (menu and availability). " +
		"A caller without any session gets a new attendee session in `session` (and the cookie). " +
		"While Turnstile is on, a session that did not pass its challenge is refused with 403 challenge_required, and a caller without one with 401: it starts its session with the challenge (POST /api/session).",
	...keyedWrite,
	request: { params: StoreParams, body: jsonBody(ScanBody, "The code from the QR") },
	responses: {
		201: replayableResponse(ScanReply, "Admitted: order the drink before expiresAt"),
		200: replayableResponse(ScanReply, "Already admitted with this code"),
		...refusals(409, 410, 429),
	},
});

const BurstEnd = z.object({ orderIds: z.array(z.uuid()).min(1).max(200) }).meta({ id: "BurstEnd" });
const BurstEnded = z
	.object({
		/** Orders cancelled; their slots are free and, while their code runs, their tokens are back. */
		ended: z.int(),
		/** Orders asked for but left open: their drink was chosen meanwhile, or they are no longer part of a burst. */
		kept: z.int(),
	})
	.meta({ id: "BurstEnded" });

const endBurst = route("storeStaff", {
	method: "post",
	path: "/stores/{store}/bursts/end",
	operationId: "endBurst",
	summary: "End a burst: orders admitted at once that nobody ordered a drink for (staff)",
	description:
		"A burst is at least 4 QR admissions within 5 s, all still AWAITING_ORDER 20 s after the last (contract/bursts.ts; the tablet shows it from its staff view). " +
		"Of the orders given, those that are part of a burst now are cancelled (reason `burst`): their capacity slots are freed, and while their code's window still runs its tokens go back, so the people at the bar can scan it.",
	request: { params: StoreParams, body: jsonBody(BurstEnd, "The orders of the burst the tablet showed") },
	responses: { 200: jsonResponse(BurstEnded, "How many were ended") },
});

const walkUp = route("storeStaff", {
	method: "post",
	path: "/stores/{store}/walk-ups",
	operationId: "createWalkUpOrder",
	summary: "A walk-up order: staff enter the drink of someone at the counter without a phone",
	description:
		"The order skips the QR code and the daily limit (staff let the person in) but takes a capacity slot, and arrives QUEUED with its number, on the tablets and the board like any other. " +
		"With an Idempotency-Key, a 503 keeps the order for a retry of the same key, which finishes it (its timer ends it if none comes).",
	...keyedWrite,
	request: { params: StoreParams, body: jsonBody(SubmitOrderBody, "The drink, its options and a name for the cup") },
	responses: { 201: replayableResponse(OrderEnvelope, "The order, QUEUED with its number"), ...refusals(409) },
});

const orders = route("storeStaff", {
	method: "get",
	path: "/stores/{store}/orders",
	operationId: "listStoreOrders",
	summary: "A store's orders, newest first (staff)",
	request: {
		params: StoreParams,
		query: z.object({
			state: z
				.string()
				.optional()
				.transform((value, ctx) => {
					if (!value) return undefined;
					const states = value.split(",");
					const bad = states.filter((s) => !OrderState.safeParse(s).success);
					if (bad.length > 0) {
						ctx.addIssue({
							code: "custom",
							message: `unknown state ${bad.join(", ")}; use ${OrderState.options.join(", ")}`,
						});
						return z.NEVER;
					}
					return states as OrderState[];
				})
				// What it takes: states, comma-separated.
				.meta({
					type: "array",
					items: { type: "string", enum: [...OrderState.options] },
					param: { style: "form", explode: false },
				}),
			limit: z.coerce.number().int().min(1).max(200).default(50),
			before: z.string().max(100).optional(),
		}),
	},
	responses: { 200: jsonResponse(OrderList, "A page of orders and the cursor of the next") },
});

/**
 * Who scans: the attendee of the session, or, for a phone that has none (its first scan), a new attendee
 * whose session goes back with the answer. A token that is not valid is refused rather than replaced, and
 * while Turnstile is on a new session starts with the challenge instead.
 */
async function scanningAttendee(
	c: Context<AuthEnv>,
): Promise<{ attendee: Extract<Actor, { kind: "attendee" }>; session: AttendeeSession | null }> {
	const { actor, problem } = c.get("auth");
	if (actor || problem || turnstileOn(c.env)) return { attendee: requireAttendee(c), session: null };
	await coarseLimit(c.env.SESSIONS_PER_IP, clientIp(c), "new sessions from your network", 10);
	const session = await startAttendee(c, crypto.randomUUID(), null, false);
	return { attendee: { kind: "attendee", userId: session.userId, name: null, challenged: false }, session };
}

export const storeRoutes = router()
	.openapi(create, async (c) => {
		requireAdminToken(c);
		const body = c.req.valid("json");
		// The first call creates the store's object: near its venue, and the object records where it was asked to be.
		const options = placement(body.settings?.region);
		const stub = c.env.STORE.getByName(body.id, options);
		return c.json(unwrap(await stub.create(body, options.locationHint ?? null)), 201);
	})
	.openapi(list, async (c) => {
		requireAdminToken(c);
		return c.json({ stores: await listStores(c.env) }, 200);
	})
	.openapi(read, async (c) => {
		const { store } = c.req.valid("param");
		return c.json(unwrap(await c.env.STORE.getByName(store).view()), 200);
	})
	.openapi(patch, async (c) => {
		const { store } = c.req.valid("param");
		const actor = requireStaff(c, store);
		const body = c.req.valid("json");
		const key = await idempotencyKey(c, body);
		return c.json(answer(c, await c.env.STORE.getByName(store).patch(actor, body, key)), 200);
	})
	.openapi(qr, async (c) => {
		const { store } = c.req.valid("param");
		requireScreen(c, store);
		const window = unwrap(await c.env.STORE.getByName(store).qr());
		const origin = c.env.PUBLIC_ORIGIN || new URL(c.req.url).origin;
		return c.json(
			{
				code: window.code,
				url: orderPageUrl(origin, store, window.code),
				tokensLeft: window.tokensLeft,
				tokensTotal: window.tokensTotal,
				startsAt: new Date(window.startsAt).toISOString(),
				expiresAt: new Date(window.expiresAt).toISOString(),
			},
			200,
		);
	})
	.openapi(scan, async (c) => {
		const { store } = c.req.valid("param");
		const body = c.req.valid("json");
		const network = clientIp(c);
		const { attendee, session } = await scanningAttendee(c);
		if (turnstileOn(c.env) && !attendee.challenged) throw challengeRequired(c.env);
		const key = await idempotencyKey(c, body);
		await coarseLimit(c.env.SCANS_PER_IP, network, "scans from your network", 10);
		await coarseLimit(c.env.SCANS_PER_ATTENDEE, attendee.userId, "scans", 60);
		const stub = c.env.STORE.getByName(store);
		const { created, ...result } = answer(c, await stub.scan(attendee.userId, attendee.name, body.code, network, key));
		const extra = session ? { session } : {};
		if (key) return c.json({ ...result, ...extra }, created ? 201 : 200);
		const [view, order] = await Promise.all([
			stub.view(),
			c.env.ORDER.getByName(result.orderId).get(attendee) as Promise<Result<Order>>,
		]);
		return c.json({ ...result, order: unwrap(order), store: unwrap(view), ...extra }, created ? 201 : 200);
	})
	.openapi(endBurst, async (c) => {
		const { store } = c.req.valid("param");
		const actor = requireStaff(c, store);
		return c.json(unwrap(await c.env.STORE.getByName(store).endBurst(actor, c.req.valid("json").orderIds)), 200);
	})
	.openapi(walkUp, async (c) => {
		const { store } = c.req.valid("param");
		const staff = requireStaff(c, store);
		const body = c.req.valid("json");
		const order = await openWalkUp(c.env, store, staff, body, await idempotencyKey(c, body));
		return c.json({ order: answer(c, order) }, 201);
	})
	.openapi(orders, async (c) => {
		const { store } = c.req.valid("param");
		requireStaff(c, store);
		const { state, limit, before } = c.req.valid("query");
		return c.json(await listOrders(c.env, { storeId: store, states: state, limit, before }), 200);
	});
