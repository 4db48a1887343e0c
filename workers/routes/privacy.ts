import { deleteCookie } from "hono/cookie";
import { z } from "zod";
import { attendeeCookie, cookiePrefix, requireAttendee } from "../http/auth";
import { forgetAttendee } from "../sagas/forget-me";
import { jsonResponse, refusals, route, router } from "./describe";

const Forgotten = z.object({ forgotten: z.object({ orders: z.int() }) }).meta({ id: "Forgotten" });

const forgetMe = route("attendee", {
	method: "delete",
	path: "/me",
	summary: "Forget me: cancel what is not being made yet, and remove my name and id from every order",
	description:
		"Orders keep their drink and number (the bar's records), not the person. Push subscriptions are deleted. " +
		"It reaches an order placed a moment ago (the stores that admitted the attendee are recorded as they admit, not only in D1). " +
		"The session stops reaching those orders; the read model and the event archive are scrubbed as the event is processed. Asking again changes nothing.",
	responses: { 200: jsonResponse(Forgotten, "How many orders were forgotten"), ...refusals(401, 403) },
});

export const privacyRoutes = router().openapi(forgetMe, async (c) => {
	const forgotten = await forgetAttendee(c.env, requireAttendee(c).userId);
	deleteCookie(c, attendeeCookie, { prefix: cookiePrefix, httpOnly: true, sameSite: "Lax" });
	return c.json({ forgotten: { orders: forgotten } }, 200);
});
