import type { Context } from "hono";
import { z } from "zod";
import {
	DeliveryList,
	DeliveryQuery,
	Endpoint,
	EndpointCreate,
	EndpointList,
	EndpointSecret,
	EndpointUpdate,
	WebhookRedrive,
	WebhookRedriveResult,
} from "#contract/webhooks.ts";
import { requireAdminToken, type AuthEnv } from "../http/auth";
import { ApiError } from "../http/errors";
import {
	createEndpoint,
	deleteEndpoint,
	endpointRow,
	listEndpoints,
	readEndpoint,
	rotateSecret,
	setPaused,
	updateEndpoint,
} from "../webhooks/endpoints";
import { listDeliveries, redriveDeliveries, releaseHeld } from "../webhooks/delivery";
import { ownHosts, refusedTarget } from "../webhooks/targets";
import { jsonBody, jsonResponse, route, router } from "./describe";

/** Extensions as webhooks (docs/extensions.md): the deployment admin's endpoints, their deliveries and dead letters. */

const EndpointParams = z.object({ id: z.uuid() });

const listRoute = route("deploymentAdmin", {
	method: "get",
	path: "/admin/webhooks",
	operationId: "listWebhookEndpoints",
	summary: "Webhook endpoints, newest first, with their deliveries counted by status",
	responses: { 200: jsonResponse(EndpointList, "Every endpoint") },
});

const createRoute = route("deploymentAdmin", {
	method: "post",
	path: "/admin/webhooks",
	operationId: "createWebhookEndpoint",
	summary: "Register an endpoint: an https URL, an event-type pattern, optional store and event filters",
	request: { body: jsonBody(EndpointCreate, "The endpoint") },
	responses: { 201: jsonResponse(EndpointSecret, "The endpoint and its signing secret (shown only now)") },
});

const readRoute = route("deploymentAdmin", {
	method: "get",
	path: "/admin/webhooks/{id}",
	operationId: "readWebhookEndpoint",
	summary: "One webhook endpoint",
	request: { params: EndpointParams },
	responses: { 200: jsonResponse(Endpoint, "The endpoint") },
});

const updateRoute = route("deploymentAdmin", {
	method: "patch",
	path: "/admin/webhooks/{id}",
	operationId: "updateWebhookEndpoint",
	summary: "Change an endpoint's URL, pattern, filters or description",
	request: { params: EndpointParams, body: jsonBody(EndpointUpdate, "The fields to change") },
	responses: { 200: jsonResponse(Endpoint, "The endpoint as it now is") },
});

const deleteRoute = route("deploymentAdmin", {
	method: "delete",
	path: "/admin/webhooks/{id}",
	operationId: "deleteWebhookEndpoint",
	summary: "Delete an endpoint and its deliveries",
	request: { params: EndpointParams },
	responses: { 204: { description: "Deleted" } },
});

const pauseRoute = route("deploymentAdmin", {
	method: "post",
	path: "/admin/webhooks/{id}/pause",
	operationId: "pauseWebhookEndpoint",
	summary: "Pause an endpoint: its deliveries are held, not dropped",
	request: { params: EndpointParams },
	responses: { 200: jsonResponse(Endpoint, "The paused endpoint") },
});

const resumeRoute = route("deploymentAdmin", {
	method: "post",
	path: "/admin/webhooks/{id}/resume",
	operationId: "resumeWebhookEndpoint",
	summary: "Resume an endpoint: what was held while it was paused is sent now",
	request: { params: EndpointParams },
	responses: { 200: jsonResponse(Endpoint, "The endpoint, no longer paused") },
});

const rotateRoute = route("deploymentAdmin", {
	method: "post",
	path: "/admin/webhooks/{id}/rotate",
	operationId: "rotateWebhookSecret",
	summary: "A new signing secret; the old one keeps signing beside it for 24 hours",
	request: { params: EndpointParams },
	responses: { 200: jsonResponse(EndpointSecret, "The endpoint and its new secret (shown only now)") },
});

const deliveriesRoute = route("deploymentAdmin", {
	method: "get",
	path: "/admin/webhooks/{id}/deliveries",
	operationId: "listWebhookDeliveries",
	summary: "An endpoint's deliveries, newest first; status=dead lists its dead letters",
	request: { params: EndpointParams, query: DeliveryQuery },
	responses: { 200: jsonResponse(DeliveryList, "Its latest deliveries") },
});

const redriveRoute = route("deploymentAdmin", {
	method: "post",
	path: "/admin/webhooks/{id}/redrive",
	operationId: "redriveWebhookDeliveries",
	summary: "Send dead deliveries again, each with a fresh set of attempts",
	request: { params: EndpointParams, body: jsonBody(WebhookRedrive, "Which dead deliveries: by id, or all") },
	responses: { 200: jsonResponse(WebhookRedriveResult, "How many went back to the queue") },
});

const noEndpoint = () => new ApiError("not_found", "No such webhook endpoint.");

function requireSafeTarget(c: Context<AuthEnv>, url: string | undefined): void {
	const refused = url === undefined ? null : refusedTarget(url, ownHosts(c.env, c.req.url));
	if (refused) throw new ApiError("webhook_target_refused", `The endpoint's URL ${refused}.`, { url });
}

export const webhookRoutes = router()
	.openapi(listRoute, async (c) => {
		requireAdminToken(c);
		return c.json({ endpoints: await listEndpoints(c.env) }, 200);
	})
	.openapi(createRoute, async (c) => {
		requireAdminToken(c);
		const body = c.req.valid("json");
		requireSafeTarget(c, body.url);
		return c.json(await createEndpoint(c.env, body), 201);
	})
	.openapi(readRoute, async (c) => {
		requireAdminToken(c);
		const endpoint = await readEndpoint(c.env, c.req.valid("param").id);
		if (!endpoint) throw noEndpoint();
		return c.json(endpoint, 200);
	})
	.openapi(updateRoute, async (c) => {
		requireAdminToken(c);
		const body = c.req.valid("json");
		requireSafeTarget(c, body.url);
		const endpoint = await updateEndpoint(c.env, c.req.valid("param").id, body);
		if (!endpoint) throw noEndpoint();
		return c.json(endpoint, 200);
	})
	.openapi(deleteRoute, async (c) => {
		requireAdminToken(c);
		if (!(await deleteEndpoint(c.env, c.req.valid("param").id))) throw noEndpoint();
		return c.body(null, 204);
	})
	.openapi(pauseRoute, async (c) => {
		requireAdminToken(c);
		const { id } = c.req.valid("param");
		if (!(await setPaused(c.env, id, true))) throw noEndpoint();
		return c.json((await readEndpoint(c.env, id))!, 200);
	})
	.openapi(resumeRoute, async (c) => {
		requireAdminToken(c);
		const { id } = c.req.valid("param");
		if (!(await setPaused(c.env, id, false))) throw noEndpoint();
		await releaseHeld(c.env, id);
		return c.json((await readEndpoint(c.env, id))!, 200);
	})
	.openapi(rotateRoute, async (c) => {
		requireAdminToken(c);
		const rotated = await rotateSecret(c.env, c.req.valid("param").id);
		if (!rotated) throw noEndpoint();
		return c.json(rotated, 200);
	})
	.openapi(deliveriesRoute, async (c) => {
		requireAdminToken(c);
		const { id } = c.req.valid("param");
		if (!(await endpointRow(c.env, id))) throw noEndpoint();
		return c.json({ deliveries: await listDeliveries(c.env, id, c.req.valid("query")) }, 200);
	})
	.openapi(redriveRoute, async (c) => {
		requireAdminToken(c);
		const { id } = c.req.valid("param");
		if (!(await endpointRow(c.env, id))) throw noEndpoint();
		return c.json({ redriven: await redriveDeliveries(c.env, id, c.req.valid("json")) }, 200);
	});
