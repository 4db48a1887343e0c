import { eq } from "drizzle-orm";
import { deleteCookie } from "hono/cookie";
import { z } from "zod";
import { orders, pushSubscriptions } from "../../drizzle/schema";
import { attendeeDirectory } from "../../durable-objects/attendee-directory";
import { attendeeCookie, cookiePrefix, requireAttendee } from "../auth";
import { createEvent } from "../contract/events";
import { database } from "../read-model";
import { jsonResponse, refusals, route, router } from "./describe";

const Forgotten = z.object({ forgotten: z.object({ orders: z.int() }) }).meta({ id: "Forgotten" });

const forgetMe = route("attendee", {
	method: "delete",
	path: "/me",
	operationId: "forgetMe",
	summary: "Forget me: cancel what is not being made yet, and remove my name and id from every order",
	description:
		"Orders keep their drink and number (the bar's records), not the person. Push subscriptions are deleted. " +
		"It reaches an order placed a moment ago (the stores that admitted the attendee are recorded as they admit, not only in D1). " +
		"The session stops reaching those orders; the read model and the event archive are scrubbed as the event is processed. Asking again changes nothing.",
	responses: { 200: jsonResponse(Forgotten, "How many orders were forgotten") },
});

export const privacyRoutes = router().openapi(forgetMe, async (c) => {
	const { userId } = requireAttendee(c);
	const db = database(c.env);
	const directory = attendeeDirectory(c.env, userId);
	// D1 knows older orders (their store may have pruned them); the directory knows every store that admitted
	// the attendee lately, and each store knows its orders, however new.
	const [known, admittedAt] = await Promise.all([
		db.select({ id: orders.id, storeId: orders.storeId }).from(orders).where(eq(orders.userId, userId)),
		directory.storesOf(userId),
	]);
	const stores = [...new Set([...known.map((o) => o.storeId), ...admittedAt])];
	const atStores = await Promise.all(stores.map((store) => c.env.STORE.getByName(store).ordersOf(userId)));
	const ids = [...new Set([...known.map((o) => o.id), ...atStores.flat()])];
	// Orders first (cancelling one reports to its store), then the stores, so nothing reports the name back.
	const results = await Promise.all(ids.map((id) => c.env.ORDER.getByName(id).forget(userId)));
	await Promise.all(stores.map((store) => c.env.STORE.getByName(store).forget(userId)));
	await db.delete(pushSubscriptions).where(eq(pushSubscriptions.userId, userId));
	await c.env.EVENTS.send(createEvent("Privacy.AttendeeForgotten", { storeId: "*", time: Date.now() }, { userId }), { contentType: "json" });
	// Last: until everything above has happened, a retried forget must still find the stores.
	await directory.forget(userId);
	deleteCookie(c, attendeeCookie, { prefix: cookiePrefix, httpOnly: true, sameSite: "Lax" });
	return c.json({ forgotten: { orders: results.filter((r) => r.ok).length } }, 200);
});
