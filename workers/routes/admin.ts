import { z } from "zod";
import { tailFilterHeader } from "#contract/tail.ts";
import { requireAdminToken } from "../http/auth";
import { TailQuery, type TailFilter } from "#contract/tail.ts";
import { ApiError } from "../http/errors";
import { tailerConnected } from "../events/tail";
import { meterOn, readMeter, resetMeter } from "../meter";
import {
	DeadLetterList,
	DeadLetterQuery,
	RedriveBody,
	RedriveResult,
	discardDeadLetter,
	listDeadLetters,
	redrive,
} from "../events/dead-letters";
import { ReplayBody, ReplayPage, replayPage } from "../events/replay";
import { acceptSocket, forwardedHeaders, isUpgrade } from "../http/socket-auth";
import { jsonBody, jsonResponse, refusals, route, router } from "./describe";

/** The operator's endpoints (deployment admin token): the cost meter, the live event tail, replay, and the dead letters. */

const MeterReading = z
	.object({ since: z.string(), counts: z.record(z.string(), z.number()), totals: z.record(z.string(), z.number()) })
	.meta({ id: "MeterReading" });

const meterOff = () => new ApiError("not_found", 'The meter is off: set the METER var to "on" (npm run bench does).');

const readRoute = route("deploymentAdmin", {
	method: "get",
	path: "/admin/meter",
	operationId: "readMeter",
	summary: "Billable operations counted since the last reset (only when the METER var is on)",
	responses: { 200: jsonResponse(MeterReading, "Raw counters and their totals per price-list line"), ...refusals(404) },
});

const resetRoute = route("deploymentAdmin", {
	method: "delete",
	path: "/admin/meter",
	operationId: "resetMeter",
	summary: "Reset the meter's counters",
	responses: { 204: { description: "Reset" }, ...refusals(404) },
});

const tailRoute = route("deploymentAdmin", {
	method: "get",
	path: "/admin/events/ws",
	operationId: "tailEvents",
	summary: "Tail the live event stream (WebSocket), filtered by store and type patterns",
	request: { query: TailQuery },
	responses: {
		101: { description: "Switching to the WebSocket protocol; messages as in contract/tail.ts" },
		...refusals(426),
	},
});

const replayRoute = route("deploymentAdmin", {
	method: "post",
	path: "/admin/replay",
	operationId: "replayEvents",
	summary: "Re-send one page of archived events of a time range (and store) to the projector",
	request: { body: jsonBody(ReplayBody, "The range, the replay's id, and the cursor of the previous page") },
	responses: { 200: jsonResponse(ReplayPage, "How many events were sent, and the next page's cursor") },
});

const deadLettersRoute = route("deploymentAdmin", {
	method: "get",
	path: "/admin/dead-letters",
	operationId: "listDeadLetters",
	summary: "Messages the event consumer gave up on, oldest first",
	request: { query: DeadLetterQuery },
	responses: { 200: jsonResponse(DeadLetterList, "A page of dead letters and how many there are in all") },
});

const redriveRoute = route("deploymentAdmin", {
	method: "post",
	path: "/admin/dead-letters/redrive",
	operationId: "redriveDeadLetters",
	summary: "Send dead letters back to the events queue, as they first arrived (up to 100 per call)",
	request: { body: jsonBody(RedriveBody, "Which rows: by id, or the oldest up to and including an id") },
	responses: { 200: jsonResponse(RedriveResult, "How many went back, and how many of those asked for are left") },
});

const DeadLetterParams = z.object({ id: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER) });

const discardRoute = route("deploymentAdmin", {
	method: "delete",
	path: "/admin/dead-letters/{id}",
	operationId: "discardDeadLetter",
	summary: "Discard one dead letter for good",
	request: { params: DeadLetterParams },
	responses: { 204: { description: "Discarded" } },
});

export const adminRoutes = router()
	.openapi(readRoute, (c) => {
		requireAdminToken(c);
		if (!meterOn(c.env)) throw meterOff();
		return c.json(readMeter(), 200);
	})
	.openapi(resetRoute, (c) => {
		requireAdminToken(c);
		if (!meterOn(c.env)) throw meterOff();
		resetMeter();
		return c.body(null, 204);
	})
	.openapi(tailRoute, async (c) => {
		requireAdminToken(c);
		if (!isUpgrade(c))
			throw new ApiError(
				"upgrade_required",
				"This is a WebSocket endpoint: connect with a WebSocket client (npm run events:tail).",
			);
		const { store, type } = c.req.valid("query");
		const filter: TailFilter = { store: store ?? null, types: type };
		tailerConnected();
		const headers = forwardedHeaders(c);
		headers.set(tailFilterHeader, JSON.stringify(filter));
		return acceptSocket(c, await c.env.EVENT_TAIL.getByName("hub").fetch(new Request(c.req.url, { headers })));
	})
	.openapi(replayRoute, async (c) => {
		requireAdminToken(c);
		return c.json(await replayPage(c.env, c.req.valid("json")), 200);
	})
	.openapi(deadLettersRoute, async (c) => {
		requireAdminToken(c);
		return c.json(await listDeadLetters(c.env, c.req.valid("query")), 200);
	})
	.openapi(redriveRoute, async (c) => {
		requireAdminToken(c);
		return c.json(await redrive(c.env, c.req.valid("json")), 200);
	})
	.openapi(discardRoute, async (c) => {
		requireAdminToken(c);
		if (!(await discardDeadLetter(c.env, c.req.valid("param").id)))
			throw new ApiError("not_found", "No such dead letter.");
		return c.body(null, 204);
	});
