import type { Context } from "hono";
import { z } from "zod";
import type { SignInClient } from "#contract/sign-in.ts";
import { requireAccess } from "../http/access";
import {
	issueAttendee,
	issueDisplay,
	issueStaff,
	requireSignedIn,
	requireStaff,
	setAttendeeCookie,
	type AuthEnv,
} from "../http/auth";
import { plainText } from "#contract/names.ts";
import { CupName } from "#contract/order.ts";
import { DeviceId, PairingCode, Pin, Slug } from "#contract/store.ts";
import { unwrap } from "../http/errors";
import { clientIp, coarseLimit } from "../http/limits";
import { challengeRequired, turnstileOn, verifyChallenge } from "../http/turnstile";
import { jsonBody, jsonResponse, refusals, route, router } from "./describe";

export const AttendeeSession = z
	.object({ token: z.string(), userId: z.string(), name: z.string().nullable(), expiresAt: z.string() })
	.meta({ id: "AttendeeSession" });
export type AttendeeSession = z.infer<typeof AttendeeSession>;

export const StaffSession = z
	.object({
		token: z.string(),
		role: z.enum(["barista", "admin"]),
		storeId: z.string(),
		/** Who this session is: orders it claims carry it as `baristaId`, so a tablet knows which drinks are its own. */
		staffId: z.string(),
		expiresAt: z.string(),
	})
	.meta({ id: "StaffSession" });

export const DisplaySession = z
	.object({
		token: z.string(),
		role: z.literal("display"),
		storeId: z.string(),
		displayId: z.string(),
		expiresAt: z.string(),
	})
	.meta({ id: "DisplaySession" });

const Identity = z
	.object({
		kind: z.enum(["attendee", "staff", "display", "admin"]),
		/** The store a staff or display session belongs to. */
		storeId: z.string().nullable(),
		role: z.enum(["barista", "admin", "display"]).nullable(),
	})
	.meta({ id: "Identity" });

const Lockouts = z
	.object({
		lockouts: z.array(
			z.object({
				scope: z.enum(["device", "network", "store"]),
				/** The network's address, or the first characters of the device id; empty for the store-wide count. */
				client: z.string(),
				failures: z.int(),
				lockedUntil: z.string(),
			}),
		),
	})
	.meta({ id: "SignInLockouts" });

const createAttendee = route("anyone", {
	method: "post",
	path: "/session",
	operationId: "createAttendeeSession",
	// Public, and an attendee who sends their session renews it instead of getting a new id.
	security: [{}, { bearer: [] }],
	summary: "Start (or renew) an anonymous attendee session",
	description:
		"Returns a bearer token and sets the same token as an HTTP-only `__Host-` cookie. An attendee who already has a session keeps their id. " +
		"While Turnstile is on (TURNSTILE_SECRET_KEY set) a new session needs `turnstile`, the widget's token, verified with siteverify; " +
		"without one the reply is 403 challenge_required naming the site key. A session that passed keeps that when renewed.",
	request: {
		body: {
			...jsonBody(
				z.strictObject({ name: CupName.optional(), turnstile: z.string().min(1).max(2048).optional() }),
				"An optional name for the cup, and the Turnstile widget's token",
			),
			required: false,
		},
	},
	responses: { 201: jsonResponse(AttendeeSession, "The session"), ...refusals(429) },
});

const whoAmI = route("signedIn", {
	method: "get",
	path: "/session",
	operationId: "getSession",
	summary: "Who this session is: a screen asks whether its session still holds (401 once it does not)",
	responses: { 200: jsonResponse(Identity, "The session's kind, and its store and role for staff and displays") },
});

const createStaff = route("anyone", {
	method: "post",
	path: "/stores/{store}/staff/session",
	operationId: "createStaffSession",
	summary: "Sign staff in with the store's PIN",
	request: {
		params: z.object({ store: Slug }),
		body: jsonBody(
			z.strictObject({ pin: Pin, name: plainText(40).min(1).optional(), device: DeviceId.optional() }),
			"The PIN, the barista's name, and the id this device keeps (wrong PINs count per device and network)",
		),
	},
	responses: { 200: jsonResponse(StaffSession, "A staff session for this store"), ...refusals(429) },
});

const createDisplay = route("anyone", {
	method: "post",
	path: "/stores/{store}/display/session",
	operationId: "createDisplaySession",
	summary: "Sign a store's big screen in: with a pairing code from a barista's tablet, or the store's display PIN",
	description: "A display session reads the store's QR code and board, nothing else.",
	request: {
		params: z.object({ store: Slug }),
		body: jsonBody(
			z
				.strictObject({ code: PairingCode.optional(), pin: Pin.optional(), device: DeviceId.optional() })
				.refine((body) => (body.code === undefined) !== (body.pin === undefined), {
					message: "send a pairing code or the display PIN",
				}),
			"The pairing code or the display PIN, and the id this device keeps",
		),
	},
	responses: { 200: jsonResponse(DisplaySession, "A display session for this store"), ...refusals(429) },
});

const pairDisplay = route("storeStaff", {
	method: "post",
	path: "/stores/{store}/display/pairings",
	operationId: "pairDisplay",
	summary: "A one-time code for a display to sign in with, valid for five minutes (a barista pairs the big screen)",
	request: { params: z.object({ store: Slug }) },
	responses: {
		201: jsonResponse(
			z.object({ code: z.string(), expiresAt: z.string() }).meta({ id: "DisplayPairing" }),
			"The code to type on the display",
		),
	},
});

const listLockouts = route("storeAdmin", {
	method: "get",
	path: "/stores/{store}/staff/lockouts",
	operationId: "listSignInLocks",
	summary: "Sign-in locks in force at the store (wrong PINs, per device, network and store-wide)",
	request: { params: z.object({ store: Slug }) },
	responses: { 200: jsonResponse(Lockouts, "The locks and when each ends") },
});

const clearLockouts = route("storeAdmin", {
	method: "delete",
	path: "/stores/{store}/staff/lockouts",
	operationId: "clearSignInLocks",
	summary: "Clear every sign-in lock and count of the store (staff locked out during an attack)",
	request: { params: z.object({ store: Slug }) },
	responses: { 200: jsonResponse(z.object({ cleared: z.int() }), "How many locks were in force") },
});

/** Who is signing in, as wrong PINs are counted: the device id the screen keeps, and the network. */
function signInClient(c: Context<AuthEnv>, device: string | undefined): SignInClient {
	return { device: device ?? null, network: clientIp(c) };
}

const revokeStaff = route("storeAdmin", {
	method: "post",
	path: "/stores/{store}/staff/revoke",
	operationId: "revokeStaffSessions",
	summary: "Sign out every staff session of the store (a lost tablet); the PINs stay as they are",
	request: { params: z.object({ store: Slug }) },
	responses: {
		200: jsonResponse(z.object({ revoked: z.literal(true) }), "Every earlier staff session is refused from now on"),
	},
});

/** An attendee session, answered as a bearer token and set as the cookie (new ones are counted per network first). */
export async function startAttendee(
	c: Context<AuthEnv>,
	userId: string,
	name: string | null,
	challenged: boolean,
): Promise<AttendeeSession> {
	const session = await issueAttendee(c.env, userId, name, challenged);
	setAttendeeCookie(c, session);
	return { token: session.token, userId, name, expiresAt: session.expiresAt };
}

export const sessionRoutes = router()
	.openapi(createAttendee, async (c) => {
		const body = c.req.valid("json") ?? {};
		await coarseLimit(c.env.SESSIONS_PER_IP, clientIp(c), "new sessions from your network", 10);
		const current = c.get("auth").actor;
		let challenged = current?.kind === "attendee" && current.challenged === true;
		if (turnstileOn(c.env) && body.turnstile) {
			await verifyChallenge(c, body.turnstile);
			challenged = true;
		} else if (turnstileOn(c.env) && !challenged) {
			throw challengeRequired(c.env);
		}
		const userId = current?.kind === "attendee" ? current.userId : crypto.randomUUID();
		const name = body.name ?? (current?.kind === "attendee" ? current.name : null);
		return c.json(await startAttendee(c, userId, name, challenged), 201);
	})
	.openapi(whoAmI, (c) => {
		const actor = requireSignedIn(c);
		const storeId = actor.kind === "staff" || actor.kind === "display" ? actor.storeId : null;
		const role = actor.kind === "staff" ? actor.role : actor.kind === "display" ? ("display" as const) : null;
		return c.json({ kind: actor.kind, storeId, role }, 200);
	})
	.openapi(createStaff, async (c) => {
		const { store } = c.req.valid("param");
		const { pin, name, device } = c.req.valid("json");
		await requireAccess(c);
		const staff = unwrap(await c.env.STORE.getByName(store).signIn(pin, signInClient(c, device)));
		const staffId = crypto.randomUUID();
		const session = await issueStaff(c.env, {
			staffId,
			storeId: staff.storeId,
			role: staff.role,
			name: name ?? null,
			pinVersion: staff.pinVersion,
		});
		return c.json(
			{ token: session.token, role: staff.role, storeId: staff.storeId, staffId, expiresAt: session.expiresAt },
			200,
		);
	})
	.openapi(createDisplay, async (c) => {
		const { store } = c.req.valid("param");
		const { code, pin, device } = c.req.valid("json");
		await requireAccess(c);
		const stub = c.env.STORE.getByName(store);
		const client = signInClient(c, device);
		const display = unwrap(
			code !== undefined ? await stub.redeemPairing(code, client) : await stub.signInDisplay(pin!, client),
		);
		const displayId = crypto.randomUUID();
		const session = await issueDisplay(c.env, { displayId, storeId: display.storeId, pinVersion: display.pinVersion });
		return c.json(
			{
				token: session.token,
				role: "display" as const,
				storeId: display.storeId,
				displayId,
				expiresAt: session.expiresAt,
			},
			200,
		);
	})
	.openapi(pairDisplay, async (c) => {
		const { store } = c.req.valid("param");
		const actor = requireStaff(c, store);
		return c.json(unwrap(await c.env.STORE.getByName(store).pairDisplay(actor)), 201);
	})
	.openapi(listLockouts, async (c) => {
		const { store } = c.req.valid("param");
		const actor = requireStaff(c, store, "admin");
		return c.json({ lockouts: unwrap(await c.env.STORE.getByName(store).lockouts(actor)) }, 200);
	})
	.openapi(clearLockouts, async (c) => {
		const { store } = c.req.valid("param");
		const actor = requireStaff(c, store, "admin");
		return c.json(unwrap(await c.env.STORE.getByName(store).clearLockouts(actor)), 200);
	})
	.openapi(revokeStaff, async (c) => {
		const { store } = c.req.valid("param");
		const actor = requireStaff(c, store, "admin");
		unwrap(await c.env.STORE.getByName(store).revokeStaffSessions(actor));
		return c.json({ revoked: true as const }, 200);
	});
