/**
 * The headers of safe retries (draft-ietf-httpapi-idempotency-key-header), shared by the Worker and the
 * clients. (No zod here: the front ends import it.)
 */

/** A write sent with this header acts once per key and caller; a repeat gets the first answer back. */
export const idempotencyKeyHeader = "Idempotency-Key";

/** Marks an answer that is the remembered one of an earlier request with the same key. */
export const replayedHeader = "Idempotent-Replayed";
