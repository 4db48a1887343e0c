import { z } from "zod";
import { plainText } from "./names";
import { Settings, Slug } from "./store";

/**
 * A venue event: a conference whose coffee bars (stores) share what is per attendee across them, chiefly the
 * daily drink limit. Not to be confused with the event bus (contract/events.ts): that is what happened to an
 * order; this is where it happened. API paths `/api/venue-events/…`.
 */

export const VenueEventParams = z.object({ event: Slug });

export const PutVenueEventBody = z
	.strictObject({
		name: plainText(60).min(1),
		/** The day of the limit starts at midnight in this zone, at every bar of the event. */
		timeZone: Settings.shape.timeZone.unwrap(),
		/** Drinks one attendee may have per day across every bar of the event (walk-ups do not count). */
		dailyLimit: Settings.shape.maxOrdersPerUserPerDay.unwrap(),
	})
	.meta({ id: "PutVenueEvent" });
export type PutVenueEventBody = z.infer<typeof PutVenueEventBody>;

export const VenueEventView = z
	.object({
		id: z.string(),
		name: z.string(),
		timeZone: z.string(),
		dailyLimit: z.int(),
		/** Ids of the event's bars, in the order they joined. */
		stores: z.array(z.string()),
		updatedAt: z.string(),
	})
	.meta({ id: "VenueEvent" });
export type VenueEventView = z.infer<typeof VenueEventView>;

export const VenueEventList = z.object({ events: z.array(VenueEventView) }).meta({ id: "VenueEventList" });

/** One bar on an event's board: how many orders wait in its queue, and how long a drink ordered now would take. */
export const BarWait = z
	.object({
		id: z.string(),
		name: z.string(),
		/** Open and not paused: taking orders. */
		open: z.boolean(),
		/** Orders queued, not yet being made. */
		queued: z.int(),
		/** Seconds until an order joining the queue now is ready (the store's own estimate). */
		waitSeconds: z.int(),
	})
	.meta({ id: "BarWait" });
export type BarWait = z.infer<typeof BarWait>;

export const EventBoard = z
	.object({ event: z.object({ id: z.string(), name: z.string() }), bars: z.array(BarWait) })
	.meta({ id: "EventBoard" });
export type EventBoard = z.infer<typeof EventBoard>;
