import type { Context } from "hono";
import { z } from "zod";
import type { Actor } from "#contract/actor.ts";
import { actorHeader, networkHeader, originHeader } from "#contract/live.ts";
import { requireActor, type AuthEnv } from "../http/auth";
import { storeRoles } from "#contract/live.ts";
import { Slug } from "#contract/store.ts";
import { ApiError } from "../http/errors";
import { clientIp } from "../http/limits";
import { acceptSocket, forwardedHeaders, isUpgrade } from "../http/socket-auth";
import { refusals, route, router } from "./describe";
import { OrderParams } from "./orders";

/**
 * The WebSocket endpoints. The Worker authenticates (the token rides as the subprotocol beside `edgepresso`,
 * see socket-auth.ts) and hands the upgrade to the Durable Object that owns the data, which accepts it as a
 * hibernatable socket. Messages are in `contract/live.ts`.
 */

const upgrade = { 101: { description: "Switching to the WebSocket protocol; messages as in contract/live.ts" } };

const orderSocket = route("orderViewer", {
	method: "get",
	path: "/orders/{id}/ws",
	operationId: "followOrder",
	summary: "Follow one order live (its attendee, or staff)",
	request: { params: OrderParams },
	responses: { ...upgrade, ...refusals(426) },
});

const storeSocket = route("board", {
	method: "get",
	path: "/stores/{store}/ws",
	operationId: "followStore",
	summary: "Follow a store live: the public board, the signed-in display (role=display), or staff's full view",
	description:
		"Public boards are capped per network (an IPv4 address, an IPv6 /64) per store: past the cap, 429 before the upgrade.",
	request: {
		params: z.object({ store: Slug }),
		query: z.object({ role: z.enum(storeRoles.filter((r) => r === "board" || r === "display")).optional() }),
	},
	responses: { ...upgrade, ...refusals(426, 429) },
});

/** Passes the upgrade to the object, with who is asking, from which network and the public origin, in headers only the Worker sets. */
async function handOver(
	c: Context<AuthEnv>,
	stub: { fetch(request: Request): Promise<Response> },
	actor: Actor | null,
): Promise<Response> {
	if (!isUpgrade(c))
		throw new ApiError("upgrade_required", "This is a WebSocket endpoint: connect with a WebSocket client.");
	const headers = forwardedHeaders(c);
	headers.delete(actorHeader);
	headers.delete(networkHeader);
	if (actor) headers.set(actorHeader, JSON.stringify(actor));
	const network = clientIp(c);
	if (network) headers.set(networkHeader, network);
	headers.set(originHeader, c.env.PUBLIC_ORIGIN || new URL(c.req.url).origin);
	return acceptSocket(c, await stub.fetch(new Request(c.req.url, { headers })));
}

export const liveRoutes = router()
	.openapi(orderSocket, (c) => {
		const actor = requireActor(c);
		return handOver(c, c.env.ORDER.getByName(c.req.valid("param").id), actor);
	})
	.openapi(storeSocket, (c) => {
		const { actor, problem } = c.get("auth");
		// No session is fine (the public board); a session that is not valid is refused, not downgraded.
		if (problem) throw new ApiError("unauthenticated", problem);
		return handOver(c, c.env.STORE.getByName(c.req.valid("param").store), actor);
	});
