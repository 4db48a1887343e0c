import { OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import type { AuthEnv } from "../auth";
import { ErrorBody } from "../contract/errors";
import { errorBody } from "../errors";

/** Route-table helpers: how a route's bodies and refusals are described in the OpenAPI document. */

export function jsonBody<T extends z.ZodType>(schema: T, description: string) {
	return { required: true, description, content: { "application/json": { schema } } } as const;
}

export function jsonResponse<T extends z.ZodType>(schema: T, description: string) {
	return { description, content: { "application/json": { schema } } } as const;
}

const meanings: Record<number, string> = {
	400: "Malformed request, or a value the API does not accept",
	401: "No session, or an expired or forged one",
	403: "Signed in, but not allowed to do this",
	404: "No such store or order (or not yours)",
	409: "Refused in the current state: the code names the reason",
	410: "The QR code's window has ended",
	413: "Body too large",
};

export function refusals(...statuses: (keyof typeof meanings)[]) {
	return Object.fromEntries(statuses.map((status) => [status, jsonResponse(ErrorBody, meanings[status]!)])) as Record<
		number,
		ReturnType<typeof jsonResponse<typeof ErrorBody>>
	>;
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
