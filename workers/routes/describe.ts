import { createRoute, OpenAPIHono, type RouteConfig } from "@hono/zod-openapi";
import { z } from "zod";
import type { AuthEnv } from "../http/auth";
import { ErrorBody } from "#contract/errors.ts";
import { errorBody } from "../http/errors";
import { idempotencyKeyParameter, replayedResponseHeader } from "../http/idempotency";

/** Route-table helpers: how a route's bodies and refusals are described in the OpenAPI document. */

export function jsonBody<T extends z.ZodType>(schema: T, description: string) {
	return { required: true, description, content: { "application/json": { schema } } } as const;
}

export function jsonResponse<T extends z.ZodType>(schema: T, description: string) {
	return { description, content: { "application/json": { schema } } } as const;
}

/** What a write that takes an Idempotency-Key adds to its route: the header (its 422 goes in its refusals). */
export const keyedWrite = { parameters: [idempotencyKeyParameter] };

/** A keyed write's answer, which a replay marks with a header. */
export function replayableResponse<T extends z.ZodType>(schema: T, description: string) {
	return { ...jsonResponse(schema, description), headers: replayedResponseHeader };
}

const meanings = {
	400: "Malformed request, or a value the API does not accept",
	401: "No session, or an expired or forged one",
	403: "Signed in, but not allowed to do this (or a session cookie sent from another site)",
	404: "No such store or order (or not yours)",
	409: "Refused in the current state: the code names the reason",
	410: "The QR code's window has ended",
	413: "Body too large",
	415: "The body is not JSON (Content-Type: application/json)",
	422: "The Idempotency-Key was sent before with another request",
	426: "Not a WebSocket request",
	429: "Too many requests: wait for the retry-after seconds",
	500: "Something went wrong on the server's side",
	503: "A service the request needs could not be reached: try again in a moment",
} as const;
type Refusal = keyof typeof meanings;

/** The refusals a route can give beyond those every route of its shape gives (see `route`): 409, 410, 429, … */
export function refusals(...statuses: Refusal[]) {
	return Object.fromEntries(statuses.map((status) => [status, jsonResponse(ErrorBody, meanings[status])])) as Record<
		number,
		ReturnType<typeof jsonResponse<typeof ErrorBody>>
	>;
}

/**
 * Who may call a route. Every route declares one (as `x-access` in the OpenAPI document); the authorization
 * matrix test reads them from the route table and checks each against every kind of caller, so a route
 * without a rule fails it.
 */
export const accessRules = {
	anyone: "Anyone, signed in or not",
	signedIn: "Any valid session: an attendee, staff, a display or the deployment admin",
	attendee: "An attendee session",
	scanner:
		"An attendee session; a caller without any session gets a new one with the answer (while Turnstile is on, it must pass the challenge first)",
	deploymentAdmin: "The deployment's admin token",
	storeStaff: "Staff of the store in the path (barista or admin), or the deployment admin",
	storeAdmin: "An admin of the store in the path, or the deployment admin",
	storeScreen: "Staff of the store in the path, its display, or the deployment admin",
	orderOwner: "The attendee who opened the order",
	orderViewer: "The order's attendee, or staff of its store",
	orderStaff: "Staff of the order's store",
	board:
		"Anyone for the public board; the store's display and staff for their views; a session that is not valid is refused",
} as const;
export type Access = keyof typeof accessRules;

/** Who a route asks for a bearer token: nobody for a public route, optionally for the board and a scan. */
const securityOf: Partial<Record<Access, RouteConfig["security"]>> = {
	anyone: [],
	board: [{}, { bearer: [] }],
	scanner: [{}, { bearer: [] }],
};

/**
 * The refusals every route of a shape gives, whatever it does: any request can carry a token in its URL
 * (400), a staff token in a cookie (401), a cookie from another site (403), and reach an object or a
 * database that does not answer (503); a body can be too large, or not JSON; a path names a store or an
 * order that may not exist; a key can be reused.
 */
function shapeRefusals(config: RouteConfig): Refusal[] {
	const statuses: Refusal[] = [400, 401, 403, 500, 503];
	if (config.request?.body) statuses.push(413, 415);
	if (config.path.includes("{")) statuses.push(404);
	if (config.parameters?.includes(idempotencyKeyParameter)) statuses.push(422);
	return statuses;
}

/**
 * `createRoute` with the access rule the route enforces, and what follows from the rule and the route's shape:
 * its security and the refusals of `shapeRefusals`. `const` keeps the literal path, which the typed client
 * (`hc<AppType>`) is built from.
 */
export function route<const R extends RouteConfig & { operationId: string }>(access: Access, config: R) {
	return createRoute({
		...(access in securityOf ? { security: securityOf[access] } : {}),
		...config,
		responses: { ...refusals(...shapeRefusals(config)), ...config.responses },
		"x-access": access,
		description: [config.description, `Access: ${accessRules[access]}.`].filter(Boolean).join("\n\n"),
	});
}

/** A router whose schema failures answer in the error shape (docs/design.md#error-shape), naming each bad field. */
export function router() {
	return new OpenAPIHono<AuthEnv>({
		defaultHook: (result, c) => {
			if (result.success) return;
			const issues = result.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
			const message = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ");
			return c.json(errorBody("invalid_request", message || "Invalid request.", { issues }), 400);
		},
	});
}
