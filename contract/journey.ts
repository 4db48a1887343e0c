import { z } from "zod";
import type { EdgeEvent, EventType } from "./events";

/**
 * An order's journey: its archived events in order, as the attendee, staff and a share link see them.
 * What each step carried is shown through an allow-list per event type: a field not listed here is
 * private, so a field added to an event later stays hidden until someone opts it in.
 */

/** Dotted paths into an event's `detail` that a journey may show. No names, no user ids, no endpoints. */
export const shownFields: Record<EventType, readonly string[]> = {
	"Validator.NewOrder": ["tokensLeft", "tokensTotal", "codeExpiresAt", "openOrders"],
	"OrderProcessor.ShopUnavailable": ["reason"],
	"OrderProcessor.WorkflowStarted": ["order.state", "order.expiresAt"],
	"OrderManager.WaitingCompletion": [
		"order.state",
		"order.number",
		"order.drink.name",
		"order.options",
		"order.expiresAt",
	],
	"OrderManager.MakeOrder": ["order.state", "order.number"],
	"OrderManager.OrderUnclaimed": ["order.state", "order.number"],
	"OrderManager.OrderCompleted": ["order.state", "order.number", "order.drink.name"],
	"OrderManager.CustomerReminded": ["order.state", "order.number", "order.reminders"],
	"OrderManager.OrderCancelled": ["order.state", "order.reason"],
	"OrderProcessor.OrderTimeOut": ["order.state", "order.reason"],
	"Privacy.AttendeeForgotten": [],
	"Privacy.OrderForgotten": ["order.state"],
	"ConfigService.ConfigChanged": [],
};

function pick(detail: unknown, path: string): unknown {
	let value = detail;
	for (const key of path.split(".")) {
		if (value === null || typeof value !== "object" || !Object.hasOwn(value, key)) return undefined;
		value = (value as Record<string, unknown>)[key];
	}
	return value;
}

/** The allow-listed fields of what an event carried, by dotted path: what a journey and a webhook may show. */
export function shownDetail(event: EdgeEvent): Record<string, unknown> {
	const shown: Record<string, unknown> = {};
	for (const path of shownFields[event.type]) {
		const value = pick(event.detail, path);
		if (value !== undefined) shown[path] = value;
	}
	return shown;
}

export const JourneyStep = z
	.object({
		type: z.string(),
		/** The service named in the event type (`Validator`, `OrderProcessor`, `OrderManager`, …). */
		service: z.string(),
		/** What emits it, from the catalog (`StoreDO`, `OrderDO`, `Worker`). */
		producer: z.string(),
		/** The consumer rules that take it (`projector`, `notifier`, …). */
		consumers: z.array(z.string()),
		description: z.string(),
		time: z.string(),
		/** Milliseconds since the previous step; null for the first. */
		sincePreviousMs: z.int().nullable(),
		/** The allow-listed fields of what the event carried, by dotted path. */
		carried: z.record(z.string(), z.unknown()),
	})
	.meta({ id: "JourneyStep" });
export type JourneyStep = z.infer<typeof JourneyStep>;

export const Journey = z
	.object({
		orderId: z.string(),
		storeId: z.string(),
		steps: z.array(JourneyStep),
		/**
		 * The archive lags the order by the queue: true once a final event (ready, cancelled, timed out) and
		 * every version before it are archived; until then the journey shows what has happened so far.
		 */
		complete: z.boolean(),
		/** The highest order version archived so far (null before any): a page that heard of a later one waits for it. */
		version: z.int().nullable(),
	})
	.meta({ id: "Journey" });
export type Journey = z.infer<typeof Journey>;

export const JourneyShare = z
	.object({
		/** The page that shows the journey to anyone holding the link. */
		url: z.string(),
		/** The token inside it, for `GET /api/journeys/{token}`. */
		token: z.string(),
		/** When the link stops working: the end of the archive's retention. */
		expiresAt: z.string(),
	})
	.meta({ id: "JourneyShare" });
export type JourneyShare = z.infer<typeof JourneyShare>;

/** A share token: order id, expiry (epoch seconds) and an HMAC-SHA256 signature, dot-separated. */
export const shareTokenPattern = /^[0-9a-f-]{36}\.\d{1,12}\.[A-Za-z0-9_-]{43}$/;
