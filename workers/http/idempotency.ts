import type { Context } from "hono";
import { z } from "zod";
import type { IdempotencyKey, Replayable } from "#contract/idempotency.ts";
import type { AuthEnv } from "./auth";
import { idempotencyKeyHeader, replayedHeader } from "#contract/idempotency.ts";
import { ApiError, unwrap } from "./errors";

/**
 * `Idempotency-Key` (draft-ietf-httpapi-idempotency-key-header) on the Worker's side: the one place that reads
 * and checks the header, digests the request it came with, and turns the object's (possibly remembered)
 * result into the answer, marked when it is a replay. The records themselves live in the Durable Object that
 * makes each change (durable-objects/blocks/idempotency.ts).
 */

/** A UUID is best; the draft's quoted form works too, as keys are compared exactly as sent. */
const KeyValue = z
	.string()
	.min(1, "must not be empty")
	.max(255, "must be at most 255 characters")
	.regex(/^[\x20-\x7e]+$/, "must be printable ASCII characters");

/** The header as the OpenAPI document declares it on every write that takes it. */
export const idempotencyKeyParameter = {
	name: idempotencyKeyHeader,
	in: "header" as const,
	required: false,
	description:
		"Makes the write safe to retry. A request from the same caller with the same key within 24 hours is answered " +
		`with the first request's status and body, marked \`${replayedHeader}: true\`, instead of acting again; failures ` +
		"are replayed too, except 429 and 503 (nothing happened: a retry acts). A request sent while the first with its " +
		"key is still under way waits for it and answers the same. The same key with another method, path or body on the " +
		"same order or store is refused with 422 `idempotency_key_reused` (keys are kept by the order or store they act " +
		"on). 1–255 printable ASCII characters; a new UUID per action is best.",
	schema: { type: "string" as const, minLength: 1, maxLength: 255, pattern: "^[\\x20-\\x7E]+$" },
};

/** The response header a replay carries. */
export const replayedResponseHeader = {
	[replayedHeader]: {
		description: "`true` when this is the remembered answer to an earlier request with the same Idempotency-Key",
		schema: { type: "string" as const, enum: ["true"] },
	},
};

/**
 * The request's key and fingerprint (method, path and validated body), for the object that makes the change;
 * undefined without the header. A malformed key is refused with 400 naming the header.
 */
export async function idempotencyKey(c: Context<AuthEnv>, body?: unknown): Promise<IdempotencyKey | undefined> {
	const value = c.req.header(idempotencyKeyHeader);
	if (value === undefined) return undefined;
	const checked = KeyValue.safeParse(value);
	if (!checked.success) {
		const issue = { path: idempotencyKeyHeader, message: checked.error.issues[0]!.message };
		throw new ApiError("invalid_request", `${issue.path}: ${issue.message}`, { issues: [issue] });
	}
	const request = `${c.req.method} ${new URL(c.req.url).pathname}\n${JSON.stringify(body ?? null)}`;
	const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(request));
	return { key: checked.data, fingerprint: btoa(String.fromCharCode(...new Uint8Array(digest))) };
}

/** The value of an object's answer (its refusal thrown), marking a replay. */
export function answer<T>(c: Context<AuthEnv>, result: Replayable<T>): T {
	if (result.replayed) c.header(replayedHeader, "true");
	return unwrap(result);
}
