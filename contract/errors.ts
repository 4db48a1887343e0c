import { z } from "zod";

/**
 * Every refusal the API can give, with the HTTP status it travels with.
 * The front ends turn these codes into words; the codes never change meaning.
 */
export const errorStatus = {
	invalid_json: 400,
	invalid_request: 400,
	code_invalid: 400,
	token_in_url: 400,
	webhook_target_refused: 400,
	unauthenticated: 401,
	forbidden: 403,
	csrf_refused: 403,
	challenge_required: 403,
	challenge_failed: 403,
	pin_invalid: 401,
	pairing_code_invalid: 401,
	not_found: 404,
	store_not_found: 404,
	order_not_found: 404,
	venue_event_not_found: 404,
	store_exists: 409,
	store_in_other_event: 409,
	store_closed: 409,
	store_paused: 409,
	code_exhausted: 409,
	code_already_used: 409,
	at_capacity: 409,
	order_limit: 409,
	network_limit: 409,
	illegal_transition: 409,
	sold_out: 409,
	subscription_limit: 409,
	code_expired: 410,
	body_too_large: 413,
	unsupported_media_type: 415,
	idempotency_key_reused: 422,
	upgrade_required: 426,
	rate_limited: 429,
	pin_locked: 429,
	internal: 500,
	unavailable: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;
export type ErrorStatus = (typeof errorStatus)[ErrorCode];

export const ErrorBody = z
	.object({
		error: z.object({
			code: z.string(),
			message: z.string(),
			/** Extra facts a client can act on, e.g. the order's current state. */
			details: z.record(z.string(), z.unknown()).optional(),
		}),
	})
	.meta({ id: "Error" });
export type ErrorBody = z.infer<typeof ErrorBody>;

/** A refusal as a value: DO RPC methods return these instead of throwing, so codes survive the RPC boundary. */
export interface Failure {
	ok: false;
	code: ErrorCode;
	message: string;
	details?: Record<string, unknown>;
	/** Overrides the code's usual status, e.g. `code_invalid` is 404 for a well-formed code nobody issued. */
	status?: number;
}
export type Result<T> = { ok: true; value: T } | Failure;

export function fail(code: ErrorCode, message: string, details?: Record<string, unknown>): Failure {
	return details ? { ok: false, code, message, details } : { ok: false, code, message };
}

export function ok<T>(value: T): { ok: true; value: T } {
	return { ok: true, value };
}
