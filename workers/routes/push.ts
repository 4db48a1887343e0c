import type { Context } from "hono";
import { z } from "zod";
import { requireAttendee, type AuthEnv } from "../http/auth";
import { base64urlBytes, PushKey, PushSubscribed, PushSubscriptionBody } from "#contract/push.ts";
import { ApiError, unwrap } from "../http/errors";
import { knownPushService, maxSubscriptionsPerOrder, subscribe, unsubscribe } from "../events/push-subscriptions";
import { jsonBody, jsonResponse, refusals, route, router } from "./describe";
import { OrderParams } from "./orders";

const key = route("anyone", {
	method: "get",
	path: "/push/key",
	operationId: "getPushKey",
	summary: "The VAPID public key: the applicationServerKey a browser subscribes with",
	responses: { 200: jsonResponse(PushKey, "The key, base64url") },
});

const add = route("orderOwner", {
	method: "post",
	path: "/orders/{id}/push",
	operationId: "subscribeToPush",
	summary: "Notify this browser when the order is ready, cancelled or timed out (its attendee)",
	request: {
		params: OrderParams,
		body: jsonBody(PushSubscriptionBody, "The browser's PushSubscription, as toJSON() gives it"),
	},
	responses: {
		201: jsonResponse(PushSubscribed, "Subscribed; subscribing again refreshes the keys"),
		...refusals(409),
	},
});

const remove = route("orderOwner", {
	method: "delete",
	path: "/orders/{id}/push",
	operationId: "unsubscribeFromPush",
	summary: "Stop notifying this browser about the order (its attendee)",
	request: { params: OrderParams, query: z.object({ endpoint: z.url().max(1024) }) },
	responses: { 204: { description: "No longer notified (also when it never was)" } },
});

/** The order, if the caller is the attendee who owns it: other attendees are told it does not exist, staff are refused. */
async function ownOrder(c: Context<AuthEnv>, id: string) {
	const attendee = requireAttendee(c);
	return unwrap(await c.env.ORDER.getByName(id).get(attendee));
}

/** The schema checks the point's encoding; only the curve maths can tell whether it is a real public key. */
async function isP256Point(p256dh: string): Promise<boolean> {
	try {
		await crypto.subtle.importKey("raw", base64urlBytes(p256dh)!, { name: "ECDH", namedCurve: "P-256" }, false, []);
		return true;
	} catch {
		return false;
	}
}

export const pushRoutes = router()
	.openapi(key, (c) => c.json({ publicKey: c.env.VAPID_PUBLIC_KEY }, 200))
	.openapi(add, async (c) => {
		const { id } = c.req.valid("param");
		const body = c.req.valid("json");
		const order = await ownOrder(c, id);
		if (!knownPushService(c.env, body.endpoint)) {
			const issue = { path: "endpoint", message: "is not a push service this deployment sends to" };
			throw new ApiError("invalid_request", `${issue.path}: ${issue.message}`, { issues: [issue] });
		}
		if (!(await isP256Point(body.keys.p256dh))) {
			const issue = { path: "keys.p256dh", message: "is not a point on the P-256 curve" };
			throw new ApiError("invalid_request", `${issue.path}: ${issue.message}`, { issues: [issue] });
		}
		if (!(await subscribe(c.env, order, body))) {
			throw new ApiError("subscription_limit", `An order can notify at most ${maxSubscriptionsPerOrder} browsers.`);
		}
		return c.json({ orderId: order.id, endpoint: body.endpoint }, 201);
	})
	.openapi(remove, async (c) => {
		const { id } = c.req.valid("param");
		const order = await ownOrder(c, id);
		await unsubscribe(c.env, order.id, c.req.valid("query").endpoint);
		return c.body(null, 204);
	});
