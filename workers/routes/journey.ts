import { z } from "zod";
import { requireActor } from "../http/auth";
import { Journey, JourneyShare } from "#contract/journey.ts";
import { ApiError } from "../http/errors";
import { archivedJourney, emptyJourney } from "../read-model/journey";
import { retentionEnd, shareToken, sharedOrder } from "../read-model/journey-share";
import { jsonResponse, route, router } from "./describe";
import { OrderParams, readOrder } from "./orders";

const read = route("orderViewer", {
	method: "get",
	path: "/orders/{id}/journey",
	operationId: "getOrderJourney",
	summary: "The order's journey: its archived events in order, without personal data",
	request: { params: OrderParams },
	responses: { 200: jsonResponse(Journey, "The journey so far (`complete` once its final event is archived)") },
});

const share = route("orderViewer", {
	method: "post",
	path: "/orders/{id}/journey/share",
	operationId: "shareOrderJourney",
	summary: "A read-only link to the order's journey, for anyone, until the archive's retention ends",
	request: { params: OrderParams },
	responses: { 200: jsonResponse(JourneyShare, "The link and its token") },
});

const shared = route("anyone", {
	method: "get",
	path: "/journeys/{token}",
	operationId: "getSharedJourney",
	summary: "A shared journey, by the token of its link",
	request: { params: z.object({ token: z.string().max(2000) }) },
	responses: { 200: jsonResponse(Journey, "The journey") },
});

const gone = () => new ApiError("not_found", "This journey link has expired, or the journey is no longer kept.");

export const journeyRoutes = router()
	.openapi(read, async (c) => {
		const order = await readOrder(c.env, c.req.valid("param").id, requireActor(c));
		if (order.finishedAt && retentionEnd(c.env, order.finishedAt) <= Date.now()) throw gone();
		return c.json((await archivedJourney(c.env, order.id)) ?? emptyJourney(order), 200);
	})
	.openapi(share, async (c) => {
		const order = await readOrder(c.env, c.req.valid("param").id, requireActor(c));
		const expiresAt = retentionEnd(c.env, order.finishedAt);
		if (expiresAt <= Date.now()) throw gone();
		const token = await shareToken(c.env, order.id, expiresAt);
		const url = `${new URL(c.req.url).origin}/journey?share=${token}`;
		return c.json({ url, token, expiresAt: new Date(Math.floor(expiresAt / 1000) * 1000).toISOString() }, 200);
	})
	.openapi(shared, async (c) => {
		const orderId = await sharedOrder(c.env, c.req.valid("param").token);
		const journey = orderId ? await archivedJourney(c.env, orderId) : null;
		if (!journey) throw gone();
		return c.json(journey, 200);
	});
