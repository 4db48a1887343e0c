import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { secureHeaders } from "hono/secure-headers";
import { identify, type AuthEnv } from "./auth";
import { crossOrigin } from "./cross-origin";
import { errorBody, errorResponse } from "./errors";
import { adminRoutes } from "../routes/admin";
import { analyticsRoutes } from "../routes/analytics";
import { z } from "zod";
import { jsonResponse, route, router } from "../routes/describe";
import { journeyRoutes } from "../routes/journey";
import { liveRoutes } from "../routes/live";
import { orderRoutes } from "../routes/orders";
import { privacyRoutes } from "../routes/privacy";
import { pushRoutes } from "../routes/push";
import { sessionRoutes } from "../routes/sessions";
import { storeRoutes } from "../routes/stores";
import { webhookRoutes } from "../routes/webhooks";
import { venueEventRoutes } from "../routes/venue-events";

/** Bodies are small JSON documents; the largest is a menu. */
const maxBodyBytes = 64 * 1024;

const api = router();
api.use("*", crossOrigin);
// API replies are data, never pages: no framing, no sniffing, no referrer, and never cached (they are personal).
api.use(
	"*",
	secureHeaders({ xFrameOptions: "DENY", referrerPolicy: "no-referrer", crossOriginResourcePolicy: "same-origin" }),
);
api.use("*", async (c, next) => {
	await next();
	c.header("cache-control", "no-store");
});
api.use(
	"*",
	bodyLimit({
		maxSize: maxBodyBytes,
		onError: (c) =>
			c.json(errorBody("body_too_large", `Request bodies are limited to ${maxBodyBytes / 1024} KB.`), 413),
	}),
);
api.use("*", identify);

const health = route("anyone", {
	method: "get",
	path: "/health",
	operationId: "checkHealth",
	summary: "Whether the Worker answers",
	responses: { 200: jsonResponse(z.object({ ok: z.literal(true) }), "It does") },
});

const routes = api
	.openapi(health, (c) => c.json({ ok: true as const }, 200))
	.route("/", sessionRoutes)
	.route("/", storeRoutes)
	.route("/", venueEventRoutes)
	.route("/", analyticsRoutes)
	.route("/", pushRoutes)
	.route("/", orderRoutes)
	.route("/", journeyRoutes)
	.route("/", liveRoutes)
	.route("/", privacyRoutes)
	.route("/", adminRoutes)
	.route("/", webhookRoutes);

api.openAPIRegistry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer" });
api.openAPIRegistry.registerPath(
	route("anyone", {
		method: "get",
		path: "/openapi.json",
		operationId: "getOpenApiDocument",
		summary: "This document",
		responses: { 200: jsonResponse(z.record(z.string(), z.unknown()), "The OpenAPI 3.1 document of the API") },
	}),
);
api.doc31("/openapi.json", {
	openapi: "3.1.0",
	info: {
		title: "edgepresso API",
		version: "1",
		description:
			"Event-driven coffee ordering for conference coffee bars. Errors are `{ error: { code, message, details? } }`.",
	},
	servers: [{ url: "/api" }],
	security: [{ bearer: [] }],
});

const notFound = (c: { req: { method: string; url: string }; json: (body: unknown, status: 404) => Response }) =>
	c.json(errorBody("not_found", `No route ${c.req.method} ${new URL(c.req.url).pathname}.`), 404);

export const app = new Hono<AuthEnv>().route("/api", routes);
app.notFound(notFound);
app.onError((error, c) => errorResponse(c, error));
api.notFound(notFound);
api.onError((error, c) => errorResponse(c, error));

/** The API's type, for the typed client (`hc<AppType>`) the front ends and the robot use. */
export type AppType = typeof app;
