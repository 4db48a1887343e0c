import type { Context, MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { sign, verify } from "hono/jwt";
import type { Actor, StaffRole } from "../durable-objects/actor";
import { sameSecret } from "../durable-objects/pins";
import { requireAccess } from "./access";
import { ApiError } from "./errors";

/**
 * Sessions are HS256 JWTs signed with SESSION_SECRET. Attendees are anonymous and long-lived; staff
 * sessions are short, name their store and role, and carry the store's PIN version so that changing a
 * PIN signs every earlier session out. The deployment's ADMIN_TOKEN is an admin of every store.
 */

export const attendeeCookie = "edgepresso_session";
const attendeeTtlSeconds = 30 * 86_400;
const staffTtlSeconds = 12 * 3_600;

interface AttendeeClaims {
	kind: "attendee";
	sub: string;
	name: string | null;
	iat: number;
	exp: number;
}

interface StaffClaims {
	kind: "staff";
	sub: string;
	store: string;
	role: StaffRole;
	name: string | null;
	pv: number;
	iat: number;
	exp: number;
}

export interface Session {
	token: string;
	expiresAt: string;
}

export type AuthState = { actor: Actor | null; problem: string | null };
export type AuthEnv = { Bindings: Env; Variables: { auth: AuthState } };

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** The session key, imported once per isolate rather than on every request. */
let sessionKey: { secret: string; key: Promise<CryptoKey> } | null = null;
function keyOf(secret: string): Promise<CryptoKey> {
	if (sessionKey?.secret !== secret) {
		const key = crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
		sessionKey = { secret, key };
	}
	return sessionKey.key;
}

export async function issueAttendee(env: Env, userId: string, name: string | null): Promise<Session> {
	const iat = nowSeconds();
	const claims: AttendeeClaims = { kind: "attendee", sub: userId, name, iat, exp: iat + attendeeTtlSeconds };
	return { token: await sign({ ...claims }, await keyOf(env.SESSION_SECRET), "HS256"), expiresAt: new Date(claims.exp * 1000).toISOString() };
}

export async function issueStaff(
	env: Env,
	staff: { staffId: string; storeId: string; role: StaffRole; name: string | null; pinVersion: number },
): Promise<Session> {
	const iat = nowSeconds();
	const claims: StaffClaims = {
		kind: "staff",
		sub: staff.staffId,
		store: staff.storeId,
		role: staff.role,
		name: staff.name,
		pv: staff.pinVersion,
		iat,
		exp: iat + staffTtlSeconds,
	};
	return { token: await sign({ ...claims }, await keyOf(env.SESSION_SECRET), "HS256"), expiresAt: new Date(claims.exp * 1000).toISOString() };
}

export function setAttendeeCookie(c: Context, session: Session): void {
	setCookie(c, attendeeCookie, session.token, {
		httpOnly: true,
		secure: new URL(c.req.url).protocol === "https:",
		sameSite: "Lax",
		path: "/",
		expires: new Date(session.expiresAt),
	});
}

/**
 * The token of a request: the bearer header, else (for WebSocket upgrades, where browsers cannot set
 * headers) the `token` query parameter, else the attendee cookie.
 */
function tokenOf(c: Context): { token: string; from: "header" | "query" | "cookie" } | null {
	const header = c.req.header("authorization");
	if (header) {
		const match = /^Bearer\s+(\S+)$/i.exec(header);
		return { token: match ? match[1]! : "", from: "header" };
	}
	const query = c.req.header("upgrade")?.toLowerCase() === "websocket" ? c.req.query("token") : undefined;
	if (query) return { token: query, from: "query" };
	const cookie = getCookie(c, attendeeCookie);
	return cookie ? { token: cookie, from: "cookie" } : null;
}

const unsafeMethods = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * CSRF: a browser attaches the cookie to requests other sites make, but always names the page's origin on
 * them. A write that rides on the cookie must come from this origin; bearer tokens are never sent by a
 * browser on its own, so they need no check.
 */
function crossSiteWrite(c: Context): boolean {
	if (!unsafeMethods.has(c.req.method)) return false;
	const origin = c.req.header("origin");
	if (origin) return origin !== new URL(c.req.url).origin;
	return c.req.header("sec-fetch-site") === "cross-site";
}

async function resolve(env: Env, token: string): Promise<AuthState> {
	if (env.ADMIN_TOKEN && sameSecret(token, env.ADMIN_TOKEN)) return { actor: { kind: "admin" }, problem: null };
	let claims: Record<string, unknown>;
	try {
		claims = await verify(token, await keyOf(env.SESSION_SECRET), "HS256");
	} catch (error) {
		const expired = error instanceof Error && error.name === "JwtTokenExpired";
		return { actor: null, problem: expired ? "Your session has expired; please sign in again." : "That session token is not valid." };
	}
	if (claims.kind === "attendee" && typeof claims.sub === "string") {
		return { actor: { kind: "attendee", userId: claims.sub, name: typeof claims.name === "string" ? claims.name : null }, problem: null };
	}
	if (
		claims.kind === "staff" &&
		typeof claims.sub === "string" &&
		typeof claims.store === "string" &&
		(claims.role === "barista" || claims.role === "admin") &&
		typeof claims.pv === "number"
	) {
		const current = await env.STORE.getByName(claims.store).pinVersion();
		if (current !== claims.pv) return { actor: null, problem: "The store's PIN changed; please sign in again." };
		return {
			actor: {
				kind: "staff",
				staffId: claims.sub,
				storeId: claims.store,
				role: claims.role,
				name: typeof claims.name === "string" ? claims.name : null,
			},
			problem: null,
		};
	}
	return { actor: null, problem: "That session token is not valid." };
}

/** Reads the session of every API request; routes then say who they admit. */
export const identify: MiddlewareHandler<AuthEnv> = async (c, next) => {
	const found = tokenOf(c);
	if (found?.from === "cookie" && crossSiteWrite(c)) {
		throw new ApiError("csrf_refused", "This request came from another site; it was refused to protect your session.");
	}
	const auth = found === null ? { actor: null, problem: null } : await resolve(c.env, found.token);
	if (auth.actor?.kind === "staff" || auth.actor?.kind === "admin") await requireAccess(c);
	c.set("auth", auth);
	await next();
};

function unauthenticated(c: Context<AuthEnv>, who: string): ApiError {
	const problem = c.get("auth").problem;
	return new ApiError("unauthenticated", problem ?? `Sign in as ${who} first.`);
}

/** Anyone signed in: attendee, staff or admin. */
export function requireActor(c: Context<AuthEnv>): Actor {
	const { actor } = c.get("auth");
	if (!actor) throw unauthenticated(c, "an attendee or staff");
	return actor;
}

export function requireAttendee(c: Context<AuthEnv>): Extract<Actor, { kind: "attendee" }> {
	const actor = c.get("auth").actor;
	if (!actor) throw unauthenticated(c, "an attendee");
	if (actor.kind !== "attendee") throw new ApiError("forbidden", "This needs an attendee session, not a staff one.");
	return actor;
}

/** Staff of `storeId` (any role, or only admins), or the deployment admin. */
export function requireStaff(c: Context<AuthEnv>, storeId: string, role: StaffRole = "barista"): Actor {
	const actor = c.get("auth").actor;
	if (!actor) throw unauthenticated(c, "staff");
	if (actor.kind === "admin") return actor;
	if (actor.kind !== "staff" || actor.storeId !== storeId) throw new ApiError("forbidden", "Only this store's staff can do that.");
	if (role === "admin" && actor.role !== "admin") throw new ApiError("forbidden", "Only an admin of this store can do that.");
	return actor;
}

/** Any staff session (its own store is checked by the Durable Object that owns the data). */
export function requireStaffSession(c: Context<AuthEnv>): Actor {
	const actor = c.get("auth").actor;
	if (!actor) throw unauthenticated(c, "staff");
	if (actor.kind === "attendee") throw new ApiError("forbidden", "Only baristas can do that.");
	return actor;
}

export function requireAdminToken(c: Context<AuthEnv>): Actor {
	const actor = c.get("auth").actor;
	if (!actor) throw unauthenticated(c, "an admin");
	if (actor.kind !== "admin") throw new ApiError("forbidden", "This needs the deployment's admin token.");
	return actor;
}
