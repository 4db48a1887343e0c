import { hc } from "hono/client";
import type { AppType } from "../../workers/http/app";
import type { ErrorBody } from "#contract/errors.ts";
import { idempotencyKeyHeader } from "#contract/idempotency.ts";

/**
 * The typed API client the front ends and the robot use: paths, bodies and replies come from the Worker's
 * route table (`hc<AppType>`), so a change to the API is a type error here, not a surprise at runtime.
 */
export function apiClient(base: string, token: () => string | null | undefined = () => null) {
	return hc<AppType>(base, {
		headers: (): Record<string, string> => {
			const current = token();
			return current ? { authorization: `Bearer ${current}` } : {};
		},
	});
}

export type ApiClient = ReturnType<typeof apiClient>;

/**
 * Options that make a write safe to retry: every retry of one action sends the same key, and the API answers
 * with the first result (same status and body) instead of acting twice. Make one key per action and keep it
 * with the action for as long as it may be retried (an offline queue stores it with the action). Combine with
 * other options, e.g. `$post({ param }, { ...timeout(), ...idempotent(key) })`.
 */
export function idempotent(key: string = crypto.randomUUID()): { headers: Record<string, string> } {
	return { headers: { [idempotencyKeyHeader]: key } };
}

/** A refusal from the API, with its code (`store_closed`, `code_exhausted`, …) for the UI to put into words. */
export class ApiRefusal extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		message: string,
		readonly details?: Record<string, unknown>,
	) {
		super(message);
	}
}

/** The body of a successful reply, or an ApiRefusal thrown with the error's code. */
export async function read<T>(
	response: Promise<{ ok: boolean; status: number; json(): Promise<T> }>,
): Promise<Exclude<T, ErrorBody>> {
	const reply = await response;
	const body = (await reply.json().catch(() => null)) as T | ErrorBody | null;
	if (!reply.ok) {
		const error = (body as ErrorBody | null)?.error;
		throw new ApiRefusal(
			reply.status,
			error?.code ?? "network",
			error?.message ?? `HTTP ${reply.status}`,
			error?.details,
		);
	}
	return body as Exclude<T, ErrorBody>;
}
