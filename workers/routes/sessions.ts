import { z } from "zod";
import { requireAccess } from "../access";
import { issueAttendee, issueStaff, requireStaff, setAttendeeCookie } from "../auth";
import { plainText } from "../contract/names";
import { CupName } from "../contract/order";
import { Pin, Slug } from "../contract/store";
import { unwrap } from "../errors";
import { clientIp, coarseLimit } from "../limits";
import { jsonBody, jsonResponse, refusals, route, router } from "./describe";

export const AttendeeSession = z
	.object({ token: z.string(), userId: z.string(), name: z.string().nullable(), expiresAt: z.string() })
	.meta({ id: "AttendeeSession" });

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

const createAttendee = route("anyone", {
	method: "post",
	path: "/session",
	summary: "Start (or renew) an anonymous attendee session",
	description: "Returns a bearer token and sets the same token as an HTTP-only cookie. An attendee who already has a session keeps their id.",
	request: {
		body: { ...jsonBody(z.strictObject({ name: CupName.optional() }), "An optional name for the cup"), required: false },
	},
	responses: { 201: jsonResponse(AttendeeSession, "The session"), ...refusals(400, 413, 429) },
});

const createStaff = route("anyone", {
	method: "post",
	path: "/stores/{store}/staff/session",
	summary: "Sign staff in with the store's PIN",
	request: {
		params: z.object({ store: Slug }),
		body: jsonBody(z.strictObject({ pin: Pin, name: plainText(40).min(1).optional() }), "The PIN, and the barista's name"),
	},
	responses: { 200: jsonResponse(StaffSession, "A staff session for this store"), ...refusals(400, 401, 404, 429) },
});

const revokeStaff = route("storeAdmin", {
	method: "post",
	path: "/stores/{store}/staff/revoke",
	summary: "Sign out every staff session of the store (a lost tablet); the PINs stay as they are",
	request: { params: z.object({ store: Slug }) },
	responses: { 200: jsonResponse(z.object({ revoked: z.literal(true) }), "Every earlier staff session is refused from now on"), ...refusals(400, 401, 403, 404) },
});

export const sessionRoutes = router()
	.openapi(createAttendee, async (c) => {
		const body = c.req.valid("json") ?? {};
		await coarseLimit(c.env.SESSIONS_PER_IP, clientIp(c), "new sessions from your network", 10);
		const current = c.get("auth").actor;
		const userId = current?.kind === "attendee" ? current.userId : crypto.randomUUID();
		const name = body.name ?? (current?.kind === "attendee" ? current.name : null);
		const session = await issueAttendee(c.env, userId, name);
		setAttendeeCookie(c, session);
		return c.json({ token: session.token, userId, name, expiresAt: session.expiresAt }, 201);
	})
	.openapi(createStaff, async (c) => {
		const { store } = c.req.valid("param");
		const { pin, name } = c.req.valid("json");
		await requireAccess(c);
		const staff = unwrap(await c.env.STORE.getByName(store).signIn(pin));
		const staffId = crypto.randomUUID();
		const session = await issueStaff(c.env, { staffId, storeId: staff.storeId, role: staff.role, name: name ?? null, pinVersion: staff.pinVersion });
		return c.json({ token: session.token, role: staff.role, storeId: staff.storeId, staffId, expiresAt: session.expiresAt }, 200);
	})
	.openapi(revokeStaff, async (c) => {
		const { store } = c.req.valid("param");
		const actor = requireStaff(c, store, "admin");
		unwrap(await c.env.STORE.getByName(store).revokeStaffSessions(actor));
		return c.json({ revoked: true as const }, 200);
	});
