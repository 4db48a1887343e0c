import { eq } from "drizzle-orm";
import { createEvent } from "#contract/events.ts";
import { orders, pushSubscriptions } from "../../drizzle/schema";
import { attendeeDirectory } from "../../durable-objects/attendees/directory";
import { database } from "../read-model/read-model";

/**
 * "Forget me" across everything that knows an attendee: the directory and D1 say which stores and orders,
 * then the orders forget them (cancelling what is not being made yet), then the stores, then the venue
 * events those stores name (their daily counts), then D1's push
 * subscriptions; the event scrubs the read model and the archive. Each step is safe to repeat, so a retry
 * after a failure anywhere finishes the job. Returns how many orders forgot the attendee.
 */
export async function forgetAttendee(env: Env, userId: string): Promise<number> {
	const db = database(env);
	const directory = attendeeDirectory(env, userId);
	// D1 knows older orders (their store may have pruned them); the directory knows every store that admitted
	// the attendee lately, and each store knows its orders, however new.
	const [known, admittedAt] = await Promise.all([
		db.select({ id: orders.id, storeId: orders.storeId }).from(orders).where(eq(orders.userId, userId)),
		directory.storesOf(userId),
	]);
	const stores = [...new Set([...known.map((o) => o.storeId), ...admittedAt])];
	const atStores = await Promise.all(stores.map((store) => env.STORE.getByName(store).ordersOf(userId)));
	const ids = [...new Set([...known.map((o) => o.id), ...atStores.flat()])];
	// Orders first (cancelling one reports to its store), then the stores, so nothing reports the name back.
	const results = await Promise.all(ids.map((id) => env.ORDER.getByName(id).forget(userId)));
	const events = await Promise.all(stores.map((store) => env.STORE.getByName(store).forget(userId)));
	// The venue events their drinks counted at (the stores name them) forget their daily counts.
	await Promise.all([...new Set(events.flat())].map((event) => env.VENUE_EVENTS.getByName(event).forget(userId)));
	await db.delete(pushSubscriptions).where(eq(pushSubscriptions.userId, userId));
	await env.EVENTS.send(createEvent("Privacy.AttendeeForgotten", { storeId: "*", time: Date.now() }, { userId }), {
		contentType: "json",
	});
	// Last: until everything above has happened, a retried forget must still find the stores.
	await directory.forget(userId);
	return results.filter((r) => r.ok).length;
}
