import { z } from "zod";
import { matches, type EdgeEvent } from "./events";
import { Slug } from "./store";

/**
 * The live event tail (`npm run events:tail`): an operator's socket on `GET /api/admin/events/ws` receives
 * every event the consumer handles, filtered by store and by type patterns (`OrderManager.*`, exact types,
 * or `*`), as the EventBridge "send all events to logs and tail them" of the original.
 */

/** Type patterns: `*`, `Service.*` or an exact type, comma-separated in the query. */
const TypePattern = z
	.string()
	.regex(/^(\*|[A-Za-z]+\.\*|[A-Za-z]+\.[A-Za-z]+)$/, "use *, Service.* or Service.EventName");

export const TailQuery = z.object({
	store: Slug.optional(),
	type: z
		.string()
		.max(500)
		.optional()
		.transform((value, ctx) => {
			const patterns = (value ?? "*")
				.split(",")
				.map((p) => p.trim())
				.filter(Boolean);
			for (const pattern of patterns) {
				const checked = TypePattern.safeParse(pattern);
				if (!checked.success)
					ctx.addIssue({ code: "custom", message: `'${pattern}': ${checked.error.issues[0]!.message}` });
			}
			return patterns.length > 0 ? patterns : ["*"];
		}),
});

export interface TailFilter {
	store: string | null;
	types: string[];
}

export function tailAccepts(filter: TailFilter, event: Pick<EdgeEvent, "storeId" | "type">): boolean {
	if (filter.store !== null && filter.store !== event.storeId) return false;
	return filter.types.some((pattern) => matches(pattern, event.type));
}

export type TailMessage =
	/** The first message: the filter as the hub understood it. */
	| { type: "hello"; filter: TailFilter; tailers: number }
	/** The matching events of one consumer batch. */
	| { type: "events"; events: EdgeEvent[] };

/** The header through which the Worker (which checked the admin token and the query) hands over a tailer's filter. */
export const tailFilterHeader = "x-edgepresso-tail-filter";
