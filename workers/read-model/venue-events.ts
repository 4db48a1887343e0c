import type { VenueEventView } from "#contract/venue-event.ts";
import { venueEvents } from "../../drizzle/schema";
import { database } from "./read-model";

/** The list of venue events: each VenueEventDO's view, copied here after every change (safe to repeat). */
export async function saveVenueEvent(env: Env, view: VenueEventView): Promise<void> {
	const row = { id: view.id, name: view.name, view: JSON.stringify(view), updatedAt: Date.parse(view.updatedAt) };
	await database(env).insert(venueEvents).values(row).onConflictDoUpdate({ target: venueEvents.id, set: row });
}

export async function listVenueEvents(env: Env): Promise<VenueEventView[]> {
	const rows = await database(env).select().from(venueEvents).orderBy(venueEvents.name);
	return rows.map((row) => JSON.parse(row.view) as VenueEventView);
}
