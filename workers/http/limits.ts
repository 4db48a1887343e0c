import type { Context } from "hono";
import { config } from "#contract/config.ts";
import type { AuthEnv } from "./auth";
import { ApiError } from "./errors";

/**
 * Coarse rate limits through the Workers rate-limit binding (approximate, per Cloudflare location): they stop
 * floods before they reach a Durable Object. Exact limits that must hold per store live in the StoreDO.
 */

/**
 * The network an address belongs to, as limits count it: an IPv4 address is its own network (/32); an IPv6
 * address counts by its /64, because one subscriber is routinely handed a whole /64 and could otherwise
 * spread over 2^64 keys. Anything that does not parse as an address is returned as it is.
 */
export function networkOf(ip: string): string {
	if (!ip.includes(":")) return ip;
	const [head = "", tail = ""] = ip.split("::", 2);
	const left = head ? head.split(":") : [];
	const right = ip.includes("::") && tail ? tail.split(":") : [];
	// An embedded IPv4 tail (::ffff:192.0.2.1) is two groups; only the first four groups matter here.
	const groups = ip.includes("::")
		? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right]
		: left;
	if (groups.length < 4 || groups.slice(0, 4).some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) return ip;
	return `${groups
		.slice(0, 4)
		.map((g) => g.toLowerCase().replace(/^0+(?=.)/, ""))
		.join(":")}::/64`;
}

/** The client's network (see `networkOf`) as Cloudflare reports its address, unless it is one the deployment exempts. */
export function clientIp(c: Context<AuthEnv>): string | null {
	const ip = c.req.header("cf-connecting-ip");
	if (!ip) return null;
	return config(c.env).rateLimitExemptIps.includes(ip) ? null : networkOf(ip);
}

/** Refuses with 429 when `key` has used up `limiter`; a missing key is not limited. */
export async function coarseLimit(
	limiter: RateLimit,
	key: string | null,
	what: string,
	periodSeconds: number,
): Promise<void> {
	if (!key) return;
	const { success } = await limiter.limit({ key });
	if (!success) {
		throw new ApiError("rate_limited", `Too many ${what} in a short time; please wait a few seconds.`, {
			retryAfterSeconds: periodSeconds,
		});
	}
}
