import { z } from "zod";
import { Slug, StoreView } from "#contract/store.ts";
import {
	EventBoard,
	PutVenueEventBody,
	VenueEventList,
	VenueEventParams,
	VenueEventView,
	type BarWait,
} from "#contract/venue-event.ts";
import { requireAdminToken } from "../http/auth";
import { unwrap } from "../http/errors";
import { listVenueEvents, saveVenueEvent } from "../read-model/venue-events";
import { jsonBody, jsonResponse, refusals, route, router } from "./describe";

/**
 * Venue events: a conference's coffee bars, grouped so the daily limit counts drinks at every one of them
 * (contract/venue-event.ts). Not the event bus (`/admin/events/ws`, docs/events.md).
 */

const EventStoreParams = VenueEventParams.extend({ store: Slug });

const put = route("deploymentAdmin", {
	method: "put",
	path: "/venue-events/{event}",
	operationId: "putVenueEvent",
	summary: "Create a venue event, or change its name, time zone and daily limit (deployment admin token)",
	description:
		"A venue event groups stores (its bars): an attendee has at most `dailyLimit` drinks a day across all of them, the day starting at midnight in `timeZone`. A new limit applies to today's drinks already had.",
	request: { params: VenueEventParams, body: jsonBody(PutVenueEventBody, "The event's name, time zone and limit") },
	responses: { 200: jsonResponse(VenueEventView, "The event") },
});

const list = route("deploymentAdmin", {
	method: "get",
	path: "/venue-events",
	operationId: "listVenueEvents",
	summary: "List venue events (deployment admin token)",
	responses: { 200: jsonResponse(VenueEventList, "Every venue event, by name") },
});

const read = route("anyone", {
	method: "get",
	path: "/venue-events/{event}",
	operationId: "getVenueEvent",
	summary: "A venue event: its name, time zone, daily limit and bars",
	request: { params: VenueEventParams },
	responses: { 200: jsonResponse(VenueEventView, "The event") },
});

const board = route("anyone", {
	method: "get",
	path: "/venue-events/{event}/board",
	operationId: "getVenueEventBoard",
	summary: "The event's board: each bar's queue and the wait of a drink ordered there now",
	description:
		"Each bar's figures are its own store's (the orders queued, and its wait estimate from its recent drinks); a bar that does not answer is left out.",
	request: { params: VenueEventParams },
	responses: { 200: jsonResponse(EventBoard, "The event and its bars, in the order they joined") },
});

const Membership = z.object({ event: VenueEventView, store: StoreView }).meta({ id: "VenueEventMembership" });

const addStore = route("deploymentAdmin", {
	method: "put",
	path: "/venue-events/{event}/stores/{store}",
	operationId: "addVenueEventStore",
	summary: "Make a store one of the event's bars (deployment admin token)",
	description:
		"From its next scan the store's attendees count against the event's daily limit instead of the store's own. A store is in one event at most: 409 `store_in_other_event` names the one it is in.",
	request: { params: EventStoreParams },
	responses: { 200: jsonResponse(Membership, "The event and the store"), ...refusals(409) },
});

const removeStore = route("deploymentAdmin", {
	method: "delete",
	path: "/venue-events/{event}/stores/{store}",
	operationId: "removeVenueEventStore",
	summary: "Take a store out of the event (deployment admin token)",
	description:
		"From its next scan the store counts its own daily limit again; its open orders still give their drinks back to the event if they end without one.",
	request: { params: EventStoreParams },
	responses: { 200: jsonResponse(Membership, "The event and the store") },
});

export const venueEventRoutes = router()
	.openapi(put, async (c) => {
		requireAdminToken(c);
		const { event } = c.req.valid("param");
		const view = await c.env.VENUE_EVENTS.getByName(event).put(event, c.req.valid("json"));
		await saveVenueEvent(c.env, view);
		return c.json(view, 200);
	})
	.openapi(list, async (c) => {
		requireAdminToken(c);
		return c.json({ events: await listVenueEvents(c.env) }, 200);
	})
	.openapi(read, async (c) => {
		const { event } = c.req.valid("param");
		return c.json(unwrap(await c.env.VENUE_EVENTS.getByName(event).view()), 200);
	})
	.openapi(board, async (c) => {
		const { event } = c.req.valid("param");
		const view = unwrap(await c.env.VENUE_EVENTS.getByName(event).view());
		return c.json({ event: { id: view.id, name: view.name }, bars: await barWaits(c.env, view.stores) }, 200);
	})
	// The store first (it may refuse), then the event's list: a retry after a failure between them finishes the job.
	.openapi(addStore, async (c) => {
		requireAdminToken(c);
		const { event, store } = c.req.valid("param");
		const venue = c.env.VENUE_EVENTS.getByName(event);
		unwrap(await venue.view());
		const joined = unwrap(await c.env.STORE.getByName(store).joinEvent(event));
		const view = unwrap(await venue.addStore(store));
		await saveVenueEvent(c.env, view);
		return c.json({ event: view, store: joined }, 200);
	})
	.openapi(removeStore, async (c) => {
		requireAdminToken(c);
		const { event, store } = c.req.valid("param");
		const venue = c.env.VENUE_EVENTS.getByName(event);
		unwrap(await venue.view());
		const left = unwrap(await c.env.STORE.getByName(store).leaveEvent(event));
		const view = unwrap(await venue.removeStore(store));
		await saveVenueEvent(c.env, view);
		return c.json({ event: view, store: left }, 200);
	});

/** Each bar's figures, asked of every store at once; one that fails is left out rather than failing the board. */
async function barWaits(env: Env, stores: string[]): Promise<BarWait[]> {
	const answers = await Promise.allSettled(stores.map((store) => env.STORE.getByName(store).waitNow()));
	return answers.flatMap((answer) => (answer.status === "fulfilled" && answer.value.ok ? [answer.value.value] : []));
}
