import { z } from "zod";
import { EndReason } from "./order";

/**
 * A store's analytics over a time range, from the D1 read model: what an organiser asks after an event
 * (drinks per hour, how long people waited, how long drinks took, what was cancelled or timed out and why,
 * what sold). Each count is of things that happened in the range: an order counts as ordered in the hour
 * it was queued, as ready in the hour it became ready.
 */

/** The longest range one request may cover: hourly buckets for a month. */
export const maxAnalyticsDays = 31;
export const hourMs = 3_600_000;

export const AnalyticsQuery = z.object({
	/** Start of the range (inclusive); the default is 24 hours before `to`. */
	from: z.iso.datetime({ offset: true }).optional(),
	/** End of the range (exclusive); the default is now. */
	to: z.iso.datetime({ offset: true }).optional(),
});

/** The range a query asks for, with its defaults, or why it cannot be answered. */
export function analyticsRange(
	query: z.infer<typeof AnalyticsQuery>,
	now: number,
): { from: number; to: number } | { problem: string } {
	const to = query.to ? Date.parse(query.to) : now;
	const from = query.from ? Date.parse(query.from) : to - 24 * hourMs;
	if (from >= to) return { problem: "from must be before to." };
	if (to - from > maxAnalyticsDays * 24 * hourMs)
		return { problem: `A range covers at most ${maxAnalyticsDays} days.` };
	return { from, to };
}

/** A distribution of durations in seconds; the percentiles interpolate linearly between ranks. */
export const Durations = z.object({
	count: z.int(),
	medianSeconds: z.number().nullable(),
	p90Seconds: z.number().nullable(),
	maxSeconds: z.number().nullable(),
});
export type Durations = z.infer<typeof Durations>;

export const AnalyticsHour = z.object({
	start: z.string(),
	/** Drinks ordered (queued) in this hour. */
	ordered: z.int(),
	/** Drinks that became ready in this hour. */
	ready: z.int(),
	/** Of the drinks ready in this hour: the median wait (queued → claimed) and preparation (claimed → ready). */
	medianWaitSeconds: z.number().nullable(),
	medianPrepSeconds: z.number().nullable(),
});

export const Analytics = z
	.object({
		storeId: z.string(),
		from: z.string(),
		to: z.string(),
		totals: z.object({
			/** Attendees let in by a QR code. */
			admitted: z.int(),
			/** Orders staff entered for someone at the counter without a phone. */
			walkUps: z.int(),
			ordered: z.int(),
			ready: z.int(),
			cancelled: z.int(),
			timedOut: z.int(),
			/** Times staff called an attendee again to collect a ready drink. */
			called: z.int(),
		}),
		/** One entry per hour of the range, empty hours included, oldest first. */
		hours: z.array(AnalyticsHour),
		/** Queued → claimed, for drinks that became ready in the range. */
		wait: Durations,
		/** Claimed → ready, for the same drinks. */
		prep: Durations,
		/** Orders that ended without a drink, by how they ended. */
		endings: z.array(
			z.object({ state: z.enum(["CANCELLED", "TIMED_OUT"]), reason: EndReason.nullable(), count: z.int() }),
		),
		/** Drinks ordered, most popular first. */
		drinks: z.array(z.object({ id: z.string(), name: z.string(), count: z.int() })),
		/** Option choices on drinks ordered, most popular first; `group` and `choice` are menu ids, `label` the choice's name. */
		options: z.array(z.object({ group: z.string(), choice: z.string(), label: z.string(), count: z.int() })),
	})
	.meta({ id: "Analytics" });
export type Analytics = z.infer<typeof Analytics>;
