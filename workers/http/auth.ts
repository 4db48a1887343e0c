import type { Context, MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { sign, verify } from "hono/jwt";
import { isScreenOf, type Actor, type StaffRole } from "#contract/actor.ts";
import { sameSecret } from "#contract/secrets.ts";
import { requireAccess } from "./access";
import { ApiError } from "./errors";
import { isUpgrade, protocolToken } from "./socket-auth";

/**
 * Sessions are HS256 JWTs signed with SESSION_SECRET. Attendees are anonymous and long-lived; staff
 * sessions are short, name their store and role, and carry the store's PIN version so that changing a
 * PIN signs every earlier session out; a display session is a store's big screen, with the same PIN
 * version. The deployment's ADMIN_TOKEN is an admin of every store.
 */

/**
 * The attendee cookie, sent as `__Host-edgepresso_session`: a browser keeps a `__Host-` cookie only when this
 * very host set it over a secure origin, with Path=/ and no Domain, so a sibling subdomain cannot plant one
 * (and with it an attendee id of its choosing for `POST /api/session` to renew).
 */
export const attendeeCookie = "edgepresso_session";
export const cookiePrefix = "host" as const;

/** How long each kind of session lasts; a token claiming a later expiry (or none) is refused. */
const ttlSeconds = { attendee: 30 * 86_400, staff: 12 * 3_600, display: 24 * 3_600 } as const;
type Kind = keyof typeof ttlSeconds;
/** Clocks of the isolates that sign and check tokens may differ by this much. */
const clockSkewSeconds = 60;

export interface Session {
	token: string;
	expiresAt: string;
}

/** Who a session can be: every actor but the system itself. */
export type SessionActor = Exclude<Actor, { kind: "system" }>;
export type AuthState = { actor: SessionActor | null; problem: string | null };
export type AuthEnv = { Bindings: Env; Variables: { auth: AuthState } };

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** The session key, imported once per isolate rather than on every request. */
let sessionKey: { secret: string; key: Promise<CryptoKey> } | null = null;
function keyOf(secret: string): Promise<CryptoKey> {
	if (sessionKey?.secret !== secret) {
		const key = crypto.subtle.importKey(
			"raw",
			new TextEncoder().encode(secret),
			{ name: "HMAC", hash: "SHA-256" },
			false,
			["sign", "verify"],
		);
		sessionKey = { secret, key };
	}
	return sessionKey.key;
}

async function issue(env: Env, kind: Kind, claims: Record<string, unknown>): Promise<Session> {
	const iat = nowSeconds();
	const exp = iat + ttlSeconds[kind];
	return {
		token: await sign({ ...claims, kind, iat, exp }, await keyOf(env.SESSION_SECRET), "HS256"),
		expiresAt: new Date(exp * 1000).toISOString(),
	};
}

export function issueAttendee(env: Env, userId: string, name: string | null, challenged: boolean): Promise<Session> {
	return issue(env, "attendee", { sub: userId, name, ...(challenged ? { challenged } : {}) });
}

export function issueStaff(
	env: Env,
	staff: { staffId: string; storeId: string; role: StaffRole; name: string | null; pinVersion: number },
): Promise<Session> {
	return issue(env, "staff", {
		sub: staff.staffId,
		store: staff.storeId,
		role: staff.role,
		name: staff.name,
		pv: staff.pinVersion,
	});
}

export function issueDisplay(
	env: Env,
	display: { displayId: string; storeId: string; pinVersion: number },
): Promise<Session> {
	return issue(env, "display", { sub: display.displayId, store: display.storeId, pv: display.pinVersion });
}

export function setAttendeeCookie(c: Context, session: Session): void {
	setCookie(c, attendeeCookie, session.token, {
		prefix: cookiePrefix,
		httpOnly: true,
		sameSite: "Lax",
		expires: new Date(session.expiresAt),
	});
}

/**
 * The token of a request: the bearer header, else (for WebSocket upgrades, where browsers cannot set
 * headers) the subprotocol beside `edgepresso`, else the attendee cookie. Never the URL.
 */
function tokenOf(c: Context): { token: string; from: "header" | "protocol" | "cookie" } | null {
	const header = c.req.header("authorization");
	if (header) {
		const match = /^Bearer\s+(\S+)$/i.exec(header);
		return { token: match ? match[1]! : "", from: "header" };
	}
	const offered = protocolToken(c);
	if (offered) return { token: offered, from: "protocol" };
	const cookie = getCookie(c, attendeeCookie, cookiePrefix);
	return cookie ? { token: cookie, from: "cookie" } : null;
}

const unsafeMethods = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * CSRF and cross-site WebSocket hijacking: a browser attaches the cookie to requests other sites make, but
 * always names the page's origin on writes and on socket upgrades. A write or a socket that rides on the
 * cookie must come from this origin; bearer tokens and subprotocol tokens are never sent by a browser on its
 * own, so they need no check.
 */
function crossSite(c: Context): boolean {
	if (!unsafeMethods.has(c.req.method) && !isUpgrade(c)) return false;
	const origin = c.req.header("origin");
	if (origin) return origin !== new URL(c.req.url).origin;
	return c.req.header("sec-fetch-site") === "cross-site";
}

const invalid: AuthState = { actor: null, problem: "That session token is not valid." };

async function resolve(env: Env, token: string): Promise<AuthState> {
	if (env.ADMIN_TOKEN && sameSecret(token, env.ADMIN_TOKEN)) return { actor: { kind: "admin" }, problem: null };
	let claims: Record<string, unknown>;
	try {
		claims = await verify(token, await keyOf(env.SESSION_SECRET), "HS256");
	} catch (error) {
		const expired = error instanceof Error && error.name === "JwtTokenExpired";
		return expired ? { actor: null, problem: "Your session has expired; please sign in again." } : invalid;
	}
	// Every session we sign expires, and within its kind's lifetime: a token without `exp`, or with one
	// further away, was not made here.
	const kind = claims.kind as Kind;
	if (
		!Object.hasOwn(ttlSeconds, kind) ||
		typeof claims.exp !== "number" ||
		claims.exp > nowSeconds() + ttlSeconds[kind] + clockSkewSeconds
	) {
		return invalid;
	}
	if (typeof claims.sub !== "string") return invalid;
	if (kind === "attendee") {
		const name = typeof claims.name === "string" ? claims.name : null;
		return {
			actor: { kind: "attendee", userId: claims.sub, name, challenged: claims.challenged === true },
			problem: null,
		};
	}
	if (typeof claims.store !== "string" || typeof claims.pv !== "number") return invalid;
	if (kind === "staff" && claims.role !== "barista" && claims.role !== "admin") return invalid;
	const current = await env.STORE.getByName(claims.store).pinVersion();
	if (current !== claims.pv)
		return { actor: null, problem: "The store's PIN changed, or staff were signed out; please sign in again." };
	if (kind === "display")
		return { actor: { kind: "display", displayId: claims.sub, storeId: claims.store }, problem: null };
	return {
		actor: {
			kind: "staff",
			staffId: claims.sub,
			storeId: claims.store,
			role: claims.role as StaffRole,
			name: typeof claims.name === "string" ? claims.name : null,
		},
		problem: null,
	};
}

/** Reads the session of every API request; routes then say who they admit. */
export const identify: MiddlewareHandler<AuthEnv> = async (c, next) => {
	if (new URL(c.req.url).searchParams.has("token")) {
		throw new ApiError(
			"token_in_url",
			"Tokens never ride in URLs (request logs keep them): send it as 'Authorization: Bearer <token>', or on a WebSocket as the subprotocol beside 'edgepresso'.",
		);
	}
	const found = tokenOf(c);
	if (found?.from === "cookie" && crossSite(c)) {
		throw new ApiError("csrf_refused", "This request came from another site; it was refused to protect your session.");
	}
	const auth = found === null ? { actor: null, problem: null } : await resolve(c.env, found.token);
	if (found?.from === "cookie" && auth.actor && auth.actor.kind !== "attendee") {
		throw new ApiError(
			"unauthenticated",
			"Staff, display and admin sessions are sent as a bearer token, never in a cookie: this one was refused.",
		);
	}
	if (auth.actor?.kind === "staff" || auth.actor?.kind === "admin" || auth.actor?.kind === "display")
		await requireAccess(c);
	c.set("auth", auth);
	await next();
};

function unauthenticated(c: Context<AuthEnv>, who: string): ApiError {
	const problem = c.get("auth").problem;
	return new ApiError("unauthenticated", problem ?? `Sign in as ${who} first.`);
}

/** Any valid session at all, a display's included. */
export function requireSignedIn(c: Context<AuthEnv>): SessionActor {
	const { actor } = c.get("auth");
	if (!actor) throw unauthenticated(c, "anyone");
	return actor;
}

const displayOnly = () =>
	new ApiError("forbidden", "A display session shows the store's board and QR code, nothing else.");

/** Anyone signed in who may act on orders: attendee, staff or admin (not a display). */
export function requireActor(c: Context<AuthEnv>): Actor {
	const { actor } = c.get("auth");
	if (!actor) throw unauthenticated(c, "an attendee or staff");
	if (actor.kind === "display") throw displayOnly();
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
	if (actor.kind !== "staff" || actor.storeId !== storeId)
		throw new ApiError("forbidden", "Only this store's staff can do that.");
	if (role === "admin" && actor.role !== "admin")
		throw new ApiError("forbidden", "Only an admin of this store can do that.");
	return actor;
}

/** Staff of `storeId`, its display, or the deployment admin: what shows the QR code. */
export function requireScreen(c: Context<AuthEnv>, storeId: string): Actor {
	const actor = c.get("auth").actor;
	if (!actor) throw unauthenticated(c, "staff or the store's display");
	if (!isScreenOf(actor, storeId)) throw new ApiError("forbidden", "Only this store's staff and display can do that.");
	return actor;
}

/** Any staff session (its own store is checked by the Durable Object that owns the data). */
export function requireStaffSession(c: Context<AuthEnv>): Actor {
	const actor = c.get("auth").actor;
	if (!actor) throw unauthenticated(c, "staff");
	if (actor.kind === "display") throw displayOnly();
	if (actor.kind !== "staff" && actor.kind !== "admin") throw new ApiError("forbidden", "Only baristas can do that.");
	return actor;
}

export function requireAdminToken(c: Context<AuthEnv>): Actor {
	const actor = c.get("auth").actor;
	if (!actor) throw unauthenticated(c, "an admin");
	if (actor.kind !== "admin") throw new ApiError("forbidden", "This needs the deployment's admin token.");
	return actor;
}
