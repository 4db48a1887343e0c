import type { ErrorCode, Result } from "./errors";

/**
 * The headers of safe retries (draft-ietf-httpapi-idempotency-key-header), shared by the Worker and the
 * clients. (No zod here: the front ends import it.)
 */

/** A write sent with this header acts once per key and caller; a repeat gets the first answer back. */
export const idempotencyKeyHeader = "Idempotency-Key";

/** Marks an answer that is the remembered one of an earlier request with the same key. */
export const replayedHeader = "Idempotent-Replayed";

/** A keyed write, as the Worker passes it on: the client's key, and a digest of the request it came with. */
export interface IdempotencyKey {
	key: string;
	/** Method, path and body: the same key with another request is refused, not replayed. */
	fingerprint: string;
}

/** A write's result; `replayed` when it is the remembered answer to an earlier request with the same key. */
export type Replayable<T> = Result<T> & { replayed?: true };

/**
 * Refusals that mean nothing happened: try again later, or there is nothing here to keep a record in. They
 * are not remembered, so a retry with the same key acts.
 */
const notRemembered: ReadonlySet<ErrorCode> = new Set([
	"unavailable",
	"rate_limited",
	"internal",
	"order_not_found",
	"store_not_found",
]);

export function isRemembered(result: Result<unknown>): boolean {
	return result.ok || !notRemembered.has(result.code);
}
