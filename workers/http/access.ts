import type { Context } from "hono";
import { verifyWithJwks } from "hono/jwt";
import type { AuthEnv } from "./auth";
import { ApiError } from "./errors";

/**
 * Optional Cloudflare Access in front of the staff side. When ACCESS_TEAM_DOMAIN and ACCESS_AUD are set,
 * every staff request (PIN sign-in, and anything done with a staff session or the admin token) must carry
 * the `Cf-Access-Jwt-Assertion` Access adds, signed by the team's keys for this application. Attendees
 * are not affected.
 */
export function accessRequired(env: Env): boolean {
	return Boolean(env.ACCESS_TEAM_DOMAIN && env.ACCESS_AUD);
}

type Keys = NonNullable<Parameters<typeof verifyWithJwks>[1]["keys"]>;

/** The team's signing keys, kept for a few minutes so a busy bar does not fetch them on every request. */
let teamKeys: { url: string; keys: Keys; fetchedAt: number } | null = null;
const keysTtlMs = 5 * 60_000;

async function keysOf(url: string, fresh: boolean): Promise<Keys> {
	if (!fresh && teamKeys?.url === url && Date.now() - teamKeys.fetchedAt < keysTtlMs) return teamKeys.keys;
	const response = await fetch(url);
	if (!response.ok) throw new Error(`Access certs: ${response.status}`);
	const { keys } = (await response.json()) as { keys: Keys };
	teamKeys = { url, keys, fetchedAt: Date.now() };
	return keys;
}

export async function requireAccess(c: Context<AuthEnv>): Promise<void> {
	if (!accessRequired(c.env)) return;
	const assertion = c.req.header("cf-access-jwt-assertion");
	if (!assertion)
		throw new ApiError("unauthenticated", "Staff pages are behind Cloudflare Access: sign in through it first.");
	const team = c.env.ACCESS_TEAM_DOMAIN.replace(/\/+$/, "");
	const verify = async (fresh: boolean) =>
		verifyWithJwks(assertion, {
			keys: await keysOf(`${team}/cdn-cgi/access/certs`, fresh),
			allowedAlgorithms: ["RS256"],
			verification: { iss: team, aud: c.env.ACCESS_AUD },
		});
	try {
		// Keys rotate: a token the kept keys cannot verify gets one more try with the team's current keys.
		await verify(false).catch(() => verify(true));
	} catch {
		throw new ApiError("unauthenticated", "The Cloudflare Access sign-in is not valid for this application.");
	}
}
