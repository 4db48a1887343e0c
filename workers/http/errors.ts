import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { errorStatus, type ErrorBody, type ErrorCode, type Failure, type Result } from "#contract/errors.ts";

/** A refusal on its way to the client; `onError` turns it into the JSON error shape (docs/design.md#error-shape). */
export class ApiError extends Error {
	readonly code: ErrorCode;
	readonly status: ContentfulStatusCode;
	readonly details: Record<string, unknown> | undefined;

	constructor(code: ErrorCode, message: string, details?: Record<string, unknown>, status?: number) {
		super(message);
		this.code = code;
		this.status = (status ?? errorStatus[code]) as ContentfulStatusCode;
		this.details = details;
	}

	static from(failure: Failure): ApiError {
		return new ApiError(failure.code, failure.message, failure.details, failure.status);
	}
}

/** The value of a Durable Object's answer, or the refusal it carried, thrown. */
export function unwrap<T>(result: Result<T>): T {
	if (!result.ok) throw ApiError.from(result);
	return result.value;
}

export function errorBody(code: string, message: string, details?: Record<string, unknown>): ErrorBody {
	return { error: details ? { code, message, details } : { code, message } };
}

/** A Durable Object that could not be reached, was overloaded or was reset mid-call marks its error so. */
function unreachable(error: unknown): boolean {
	const flags = error as { retryable?: unknown; overloaded?: unknown } | null;
	return typeof flags === "object" && flags !== null && (flags.retryable === true || flags.overloaded === true);
}

export function errorResponse(c: Context, error: unknown): Response {
	if (error instanceof ApiError) {
		const retryAfter = error.details?.retryAfterSeconds;
		if (typeof retryAfter === "number") c.header("retry-after", String(Math.ceil(retryAfter)));
		return c.json(errorBody(error.code, error.message, error.details), error.status);
	}
	if (error instanceof HTTPException) {
		// Hono's own refusals: malformed JSON from the validator, oversized bodies from bodyLimit.
		const status = error.status;
		if (status === 413) return c.json(errorBody("body_too_large", "The request body is too large."), 413);
		if (status === 400) return c.json(errorBody("invalid_json", "The request body is not valid JSON."), 400);
		if (status === 415)
			return c.json(
				errorBody("unsupported_media_type", "Send the body as JSON (Content-Type: application/json)."),
				415,
			);
		return c.json(
			errorBody(status === 401 ? "unauthenticated" : "invalid_request", error.message || "Bad request."),
			status,
		);
	}
	if (unreachable(error)) {
		console.warn("an object did not answer", error);
		return c.json(
			errorBody("unavailable", "A service the request needs did not answer: please try again in a moment."),
			503,
		);
	}
	console.error("unhandled error", error);
	return c.json(errorBody("internal", "Something went wrong on our side; please try again."), 500);
}
