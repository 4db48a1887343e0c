import type { Rule } from "./consumer";
import type { EdgeEvent } from "#contract/events.ts";

/**
 * The consumer rule that feeds the event tail hub (durable-objects/tail/tail.ts). It costs one Durable Object
 * request per consumer batch while somebody tails. When the hub reports nobody, this isolate stops calling
 * it for `idleRecheckMs`: with nobody tailing, each consumer isolate asks at most once per 10 s while
 * events flow (≤ 8,640 DO requests a day, about $0.0013 at list price) and not at all when none do.
 */
const idleRecheckMs = 10_000;
let quietUntil = 0;

/** A tailer just connected through this isolate: feed the hub from the next batch on. */
export function tailerConnected(): void {
	quietUntil = 0;
}

async function forward(events: EdgeEvent[], env: Env): Promise<Set<string>> {
	if (Date.now() < quietUntil) return new Set();
	try {
		const tailers = await env.EVENT_TAIL.getByName("hub").publish(events);
		quietUntil = tailers === 0 ? Date.now() + idleRecheckMs : 0;
	} catch (error) {
		// Tailing is best effort: a failure never holds back (or retries) the events.
		console.warn(`event tail: could not reach the hub (${String(error)})`);
	}
	return new Set();
}

export const tailRule: Rule = { name: "tail", pattern: "*", handle: forward };
