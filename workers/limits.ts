import type { Context } from "hono";
import type { AuthEnv } from "./auth";
import { ApiError } from "./errors";

/**
 * Coarse rate limits through the Workers rate-limit binding (approximate, per Cloudflare location): they stop
 * floods before they reach a Durable Object. Exact limits that must hold per store live in the StoreDO.
 */

/** The client's address as Cloudflare reports it, unless it is one the deployment exempts. */
export function clientIp(c: Context<AuthEnv>): string | null {
	const ip = c.req.header("cf-connecting-ip");
	if (!ip) return null;
	const exempt = c.env.RATE_LIMIT_EXEMPT_IPS.split(",").map((s) => s.trim());
	return exempt.includes(ip) ? null : ip;
}

/** Refuses with 429 when `key` has used up `limiter`; a missing key is not limited. */
export async function coarseLimit(limiter: RateLimit, key: string | null, what: string, periodSeconds: number): Promise<void> {
	if (!key) return;
	const { success } = await limiter.limit({ key });
	if (!success) {
		throw new ApiError("rate_limited", `Too many ${what} in a short time; please wait a few seconds.`, { retryAfterSeconds: periodSeconds });
	}
}
