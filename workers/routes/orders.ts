import { z } from "zod";
import type { Context } from "hono";
import { canSee, type Actor } from "#contract/actor.ts";
import { config } from "#contract/config.ts";
import { requireActor, requireAttendee, requireStaffSession, type AuthEnv } from "../http/auth";
import { Order, OrderList, SubmitOrderBody, type BaristaAction } from "#contract/order.ts";
import type { Result } from "#contract/errors.ts";
import { unwrap } from "../http/errors";
import { answer, idempotencyKey } from "../http/idempotency";
import { archivedOrder, listOrders } from "../read-model/read-model";
import {
	jsonBody,
	jsonResponse,
	keyedWrite,
	refusals,
	replayableResponse,
	route,
	router,
	type Access,
} from "./describe";

// The pattern as zod checks it, which the OpenAPI generator leaves out of `format: uuid`.
export const OrderParams = z.object({ id: z.uuid().meta({ pattern: z.regexes.uuid().source }) });
export const OrderEnvelope = z.object({ order: Order }).meta({ id: "OrderResult" });

const submit = route("orderOwner", {
	method: "put",
	path: "/orders/{id}",
	operationId: "submitOrder",
	summary: "Order the drink (the attendee who scanned)",
	...keyedWrite,
	request: { params: OrderParams, body: jsonBody(SubmitOrderBody, "The drink, its options and a name for the cup") },
	responses: { 200: replayableResponse(OrderEnvelope, "The order, QUEUED with its number"), ...refusals(409) },
});

const read = route("orderViewer", {
	method: "get",
	path: "/orders/{id}",
	operationId: "getOrder",
	summary: "One order (its attendee, or the store's staff)",
	request: { params: OrderParams },
	responses: { 200: jsonResponse(OrderEnvelope, "The order") },
});

/** One route per move, so each carries its own access rule. */
function transition<A extends "claim" | "unclaim" | "complete" | "cancel">(action: A, access: Access, summary: string) {
	return route(access, {
		method: "post",
		path: `/orders/{id}/${action}` as `/orders/{id}/${A}`,
		operationId: `${action}Order`,
		summary,
		...keyedWrite,
		request: { params: OrderParams },
		responses: { 200: replayableResponse(OrderEnvelope, "The order after the change"), ...refusals(409) },
	});
}

const claim = transition("claim", "orderStaff", "A barista starts making the order (QUEUED → MAKING)");
const unclaim = transition(
	"unclaim",
	"orderStaff",
	"The barista making it (or an admin) puts it back in the queue (MAKING → QUEUED)",
);
const complete = transition("complete", "orderStaff", "The drink is ready (MAKING → READY); the attendee is notified");
const cancel = transition(
	"cancel",
	"orderViewer",
	"Cancel: the attendee while AWAITING_ORDER or QUEUED, a barista while open",
);

const remind = route("orderStaff", {
	method: "post",
	path: "/orders/{id}/remind",
	operationId: "remindAttendee",
	summary: "Call the attendee again to collect a READY drink (at most once a minute); their phone is notified",
	...keyedWrite,
	request: { params: OrderParams },
	responses: {
		200: replayableResponse(OrderEnvelope, "The order, still READY, with its reminders counted"),
		...refusals(409, 429),
	},
});

const mine = route("attendee", {
	method: "get",
	path: "/me/orders",
	operationId: "listMyOrders",
	summary: "My orders, newest first (attendee)",
	request: {
		query: z.object({
			limit: z.coerce.number().int().min(1).max(100).default(20),
			before: z.string().max(100).optional(),
		}),
	},
	responses: { 200: jsonResponse(OrderList, "A page of my orders") },
});

const order = (env: Env, id: string) => env.ORDER.getByName(id);

/** An order as `actor` may see it: from its OrderDO, or from the read model once its retention is over. */
export async function readOrder(env: Env, id: string, actor: Actor): Promise<Order> {
	const live = (await order(env, id).get(actor)) as Result<Order>;
	if (!live.ok && live.code === "order_not_found") {
		// A finished order past its retention lives on only in the read model.
		const archived = await archivedOrder(env, id);
		const past = archived?.finishedAt && Date.parse(archived.finishedAt) + config(env).orderRetentionMs <= Date.now();
		if (archived && past && canSee(archived, actor)) return archived;
	}
	return unwrap(live);
}

async function move(c: Context<AuthEnv>, id: string, action: BaristaAction, actor: Actor) {
	const key = await idempotencyKey(c);
	return c.json({ order: answer(c, await order(c.env, id).act(actor, action, key)) }, 200);
}

export const orderRoutes = router()
	.openapi(submit, async (c) => {
		const attendee = requireAttendee(c);
		const { id } = c.req.valid("param");
		const body = c.req.valid("json");
		const key = await idempotencyKey(c, body);
		return c.json({ order: answer(c, await order(c.env, id).submit(attendee, body, key)) }, 200);
	})
	.openapi(read, async (c) => c.json({ order: await readOrder(c.env, c.req.valid("param").id, requireActor(c)) }, 200))
	.openapi(claim, (c) => move(c, c.req.valid("param").id, "claim", requireStaffSession(c)))
	.openapi(unclaim, (c) => move(c, c.req.valid("param").id, "unclaim", requireStaffSession(c)))
	.openapi(complete, (c) => move(c, c.req.valid("param").id, "complete", requireStaffSession(c)))
	.openapi(cancel, (c) => move(c, c.req.valid("param").id, "cancel", requireActor(c)))
	.openapi(remind, async (c) => {
		const staff = requireStaffSession(c);
		const key = await idempotencyKey(c);
		return c.json({ order: answer(c, await order(c.env, c.req.valid("param").id).remind(staff, key)) }, 200);
	})
	.openapi(mine, async (c) => {
		const attendee = requireAttendee(c);
		const { limit, before } = c.req.valid("query");
		return c.json(await listOrders(c.env, { userId: attendee.userId, limit, before }), 200);
	});
