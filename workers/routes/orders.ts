import { createRoute } from "@hono/zod-openapi";
import { z } from "zod";
import { requireActor, requireAttendee, requireStaffSession } from "../auth";
import { Order, OrderList, SubmitOrderBody } from "../contract/order";
import { unwrap } from "../errors";
import { listOrders } from "../read-model";
import { jsonBody, jsonResponse, refusals, router } from "./describe";

const OrderParams = z.object({ id: z.uuid() });
const OrderEnvelope = z.object({ order: Order }).meta({ id: "OrderResult" });

const submit = createRoute({
	method: "put",
	path: "/orders/{id}",
	summary: "Order the drink (the attendee who scanned)",
	request: { params: OrderParams, body: jsonBody(SubmitOrderBody, "The drink, its options and a name for the cup") },
	responses: { 200: jsonResponse(OrderEnvelope, "The order, QUEUED with its number"), ...refusals(400, 401, 403, 404, 409, 413) },
});

const read = createRoute({
	method: "get",
	path: "/orders/{id}",
	summary: "One order (its attendee, or the store's staff)",
	request: { params: OrderParams },
	responses: { 200: jsonResponse(OrderEnvelope, "The order"), ...refusals(400, 401, 404) },
});

const transitions = ["claim", "unclaim", "complete", "cancel"] as const;

const transition = createRoute({
	method: "post",
	path: "/orders/{id}/{action}",
	summary: "claim, unclaim, complete (barista) or cancel (barista or the attendee)",
	request: { params: OrderParams.extend({ action: z.enum(transitions) }) },
	responses: { 200: jsonResponse(OrderEnvelope, "The order after the change"), ...refusals(400, 401, 403, 404, 409) },
});

const mine = createRoute({
	method: "get",
	path: "/me/orders",
	summary: "My orders, newest first (attendee)",
	request: {
		query: z.object({ limit: z.coerce.number().int().min(1).max(100).default(20), before: z.string().max(100).optional() }),
	},
	responses: { 200: jsonResponse(OrderList, "A page of my orders"), ...refusals(400, 401, 403) },
});

const order = (env: Env, id: string) => env.ORDER.getByName(id);

export const orderRoutes = router()
	.openapi(submit, async (c) => {
		const attendee = requireAttendee(c);
		const { id } = c.req.valid("param");
		return c.json({ order: unwrap(await order(c.env, id).submit(attendee, c.req.valid("json"))) }, 200);
	})
	.openapi(read, async (c) => {
		const actor = requireActor(c);
		const { id } = c.req.valid("param");
		return c.json({ order: unwrap(await order(c.env, id).get(actor)) }, 200);
	})
	.openapi(transition, async (c) => {
		const { id, action } = c.req.valid("param");
		const actor = action === "cancel" ? requireActor(c) : requireStaffSession(c);
		return c.json({ order: unwrap(await order(c.env, id).act(actor, action)) }, 200);
	})
	.openapi(mine, async (c) => {
		const attendee = requireAttendee(c);
		const { limit, before } = c.req.valid("query");
		return c.json(await listOrders(c.env, { userId: attendee.userId, limit, before }), 200);
	});
