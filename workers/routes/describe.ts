import { createRoute, OpenAPIHono, type RouteConfig } from "@hono/zod-openapi";
import { z } from "zod";
import type { AuthEnv } from "../auth";
import { ErrorBody } from "../contract/errors";
import { errorBody } from "../errors";
import { idempotencyKeyParameter, replayedResponseHeader } from "../idempotency";

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

const meanings: Record<number, string> = {
	400: "Malformed request, or a value the API does not accept",
	401: "No session, or an expired or forged one",
	403: "Signed in, but not allowed to do this",
	404: "No such store or order (or not yours)",
	409: "Refused in the current state: the code names the reason",
	410: "The QR code's window has ended",
	413: "Body too large",
	422: "The Idempotency-Key was sent before with another request",
	429: "Too many requests: wait for the retry-after seconds",
	503: "A service the request needs could not be reached: try again in a moment",
};

export function refusals(...statuses: (keyof typeof meanings)[]) {
	return Object.fromEntries(statuses.map((status) => [status, jsonResponse(ErrorBody, meanings[status]!)])) as Record<
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
	scanner: "An attendee session; a caller without any session gets a new one with the answer (while Turnstile is on, it must pass the challenge first)",
	deploymentAdmin: "The deployment's admin token",
	storeStaff: "Staff of the store in the path (barista or admin), or the deployment admin",
	storeAdmin: "An admin of the store in the path, or the deployment admin",
	storeScreen: "Staff of the store in the path, its display, or the deployment admin",
	orderOwner: "The attendee who opened the order",
	orderViewer: "The order's attendee, or staff of its store",
	orderStaff: "Staff of the order's store",
	board: "Anyone for the public board; the store's display and staff for their views; a session that is not valid is refused",
} as const;
export type Access = keyof typeof accessRules;

/** `createRoute` with the access rule the route enforces. `const` keeps the literal path, which the typed client (`hc<AppType>`) is built from. */
export function route<const R extends RouteConfig>(access: Access, config: R) {
	return createRoute({ ...config, "x-access": access, description: [config.description, `Access: ${accessRules[access]}.`].filter(Boolean).join("\n\n") });
}

/** A router whose schema failures answer in the error shape of DESIGN §6, naming each bad field. */
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
