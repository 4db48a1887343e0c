import { asc, eq } from "drizzle-orm";
import { orderEvents } from "../../drizzle/schema";
import { rules } from "../events/consumer";
import { catalog, matches, type EdgeEvent, type EventType } from "#contract/events.ts";
import { shownDetail, type Journey, type JourneyStep } from "#contract/journey.ts";
import { isOpenState } from "#contract/moves.ts";
import type { Order } from "#contract/order.ts";
import { database } from "./read-model";

/** Builds an order's journey from the D1 archive (`order_events`), showing only the allow-listed fields. */

const consumersOf = (type: EventType) => [
	...new Set(rules.filter((rule) => matches(rule.pattern, type)).map((rule) => rule.name)),
];

const orderOf = (event: EdgeEvent): Order | null => ("order" in event.detail ? (event.detail.order as Order) : null);

/** True once a final event and every order version before it are archived. */
function isComplete(events: EdgeEvent[]): boolean {
	const versions = new Set(events.map((event) => orderOf(event)?.version).filter((v) => v !== undefined));
	const final = events.map(orderOf).find((order) => order && !isOpenState(order.state));
	if (!final) return false;
	for (let version = 1; version <= final.version; version++) if (!versions.has(version)) return false;
	return true;
}

/** The archived journey of an order, or null when the archive holds nothing of it. */
export async function archivedJourney(env: Env, orderId: string): Promise<Journey | null> {
	const rows = await database(env)
		.select({ envelope: orderEvents.envelope, version: orderEvents.orderVersion })
		.from(orderEvents)
		.where(eq(orderEvents.orderId, orderId))
		.orderBy(asc(orderEvents.time), asc(orderEvents.orderVersion));
	// Only catalog events reach the archive; a type the catalog has since dropped is left out rather than guessed at.
	const events = rows
		.map((row) => JSON.parse(row.envelope) as EdgeEvent)
		.filter((event) => Object.hasOwn(catalog, event.type));
	if (events.length === 0) return null;
	const versions = events.map((event) => orderOf(event)?.version ?? 0);
	return {
		orderId,
		storeId: events[0]!.storeId,
		steps: steps(events),
		complete: isComplete(events),
		version: Math.max(...versions) || null,
	};
}

/** An order that is visible but not archived yet: the queue has not delivered its first event. */
export function emptyJourney(order: Pick<Order, "id" | "storeId">): Journey {
	return { orderId: order.id, storeId: order.storeId, steps: [], complete: false, version: null };
}

function steps(events: EdgeEvent[]): JourneyStep[] {
	let previous: number | null = null;
	return events.map((event) => {
		const time = Date.parse(event.time);
		const entry = catalog[event.type];
		const step: JourneyStep = {
			type: event.type,
			service: event.type.split(".")[0]!,
			producer: entry.producer,
			consumers: consumersOf(event.type),
			description: entry.description,
			time: event.time,
			sincePreviousMs: previous === null ? null : time - previous,
			carried: shownDetail(event),
		};
		previous = time;
		return step;
	});
}
