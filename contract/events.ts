import { z } from "zod";
import { Order } from "./order";
import { StoreView } from "./store";

/**
 * The event catalog: every event edgepresso emits, its schema and version, who emits it and who consumes it.
 * Producers build envelopes with `createEvent`, consumers read them with `parseEvent`; nobody writes an
 * event type by hand. This file is the schema registry, and `npm run events:docs` renders it.
 */

const OrderDetail = z.object({ order: Order.omit({ position: true, etaSeconds: true }) });

export const catalog = {
	"Validator.NewOrder": {
		version: 1,
		producer: "StoreDO",
		description: "A QR code was redeemed: the attendee is admitted and holds a capacity slot.",
		detail: z.object({
			orderId: z.string(),
			userId: z.string(),
			tokensLeft: z.int(),
			tokensTotal: z.int(),
			codeExpiresAt: z.string(),
			openOrders: z.int(),
		}),
	},
	"OrderProcessor.ShopUnavailable": {
		version: 1,
		producer: "StoreDO",
		description: "A scan was turned away because the store could not take the order.",
		detail: z.object({
			userId: z.string(),
			reason: z.enum(["store_closed", "store_paused", "at_capacity"]),
		}),
	},
	"OrderProcessor.WorkflowStarted": {
		version: 1,
		producer: "OrderDO",
		description: "The order exists and waits for the attendee's drink; the customer timer runs.",
		detail: OrderDetail,
	},
	"OrderManager.WaitingCompletion": {
		version: 1,
		producer: "OrderDO",
		description: "The drink was submitted: the order is queued with its number; the barista timer runs.",
		detail: OrderDetail,
	},
	"OrderManager.MakeOrder": {
		version: 1,
		producer: "OrderDO",
		description: "A barista claimed the order and is making it.",
		detail: OrderDetail,
	},
	"OrderManager.OrderUnclaimed": {
		version: 1,
		producer: "OrderDO",
		description: "The barista put the order back in the queue.",
		detail: OrderDetail,
	},
	"OrderManager.OrderCompleted": {
		version: 1,
		producer: "OrderDO",
		description: "The drink is ready for collection.",
		detail: OrderDetail,
	},
	"OrderManager.CustomerReminded": {
		version: 1,
		producer: "OrderDO",
		description: "A barista called the attendee again to collect a ready drink that is still waiting at the bar.",
		detail: OrderDetail,
	},
	"OrderManager.OrderCancelled": {
		version: 1,
		producer: "OrderDO",
		description: "The order was cancelled by the attendee, a barista, or the store closing.",
		detail: OrderDetail,
	},
	"OrderProcessor.OrderTimeOut": {
		version: 1,
		producer: "OrderDO",
		description: "A timer ran out: the attendee did not order in time, or no barista completed it in time.",
		detail: OrderDetail,
	},
	"Privacy.AttendeeForgotten": {
		version: 1,
		producer: "Worker",
		description: "An attendee asked to be forgotten: their name and id are scrubbed from the read model and archive.",
		detail: z.object({ userId: z.string() }),
	},
	"Privacy.OrderForgotten": {
		version: 1,
		producer: "OrderDO",
		description: "An order's attendee was forgotten: the order keeps its drink and number, not the person.",
		detail: OrderDetail,
	},
	"ConfigService.ConfigChanged": {
		version: 1,
		producer: "StoreDO",
		description: "A store was created or its settings, menu or availability changed.",
		detail: z.object({
			store: StoreView.omit({ openOrders: true }),
			changed: z.array(z.string()),
		}),
	},
} as const;

export type EventType = keyof typeof catalog;
export const eventTypes = Object.keys(catalog) as EventType[];
export type EventDetail<T extends EventType> = z.infer<(typeof catalog)[T]["detail"]>;

/** The EventBridge-like envelope every event travels in. */
export const Envelope = z.object({
	id: z.string().min(1),
	version: z.int().min(1),
	source: z.string(),
	type: z.string(),
	time: z.string(),
	storeId: z.string(),
	orderId: z.string().optional(),
	detail: z.unknown(),
});

export type EdgeEvent<T extends EventType = EventType> = {
	[K in T]: {
		id: string;
		version: number;
		source: string;
		type: K;
		time: string;
		storeId: string;
		orderId?: string;
		detail: EventDetail<K>;
	};
}[T];

export function createEvent<T extends EventType>(
	type: T,
	at: { storeId: string; orderId?: string; time: number },
	detail: EventDetail<T>,
): EdgeEvent<T> {
	const entry = catalog[type];
	const event = {
		id: crypto.randomUUID(),
		version: entry.version,
		source: `edgepresso.${entry.producer}`,
		type,
		time: new Date(at.time).toISOString(),
		storeId: at.storeId,
		...(at.orderId ? { orderId: at.orderId } : {}),
		// Typed at compile time; the consumer validates every event it reads (parseEvent), so producers on the
		// hot path do not pay for a second runtime check.
		detail,
	};
	return event as EdgeEvent<T>;
}

/** Reads an event off the wire; anything not in the catalog, or not matching its schema, is an error. */
export function parseEvent(raw: unknown): { ok: true; event: EdgeEvent } | { ok: false; error: string } {
	const envelope = Envelope.safeParse(raw);
	if (!envelope.success) return { ok: false, error: `bad envelope: ${z.prettifyError(envelope.error)}` };
	const entry = (catalog as Record<string, (typeof catalog)[EventType]>)[envelope.data.type];
	if (!entry) return { ok: false, error: `unknown event type '${envelope.data.type}'` };
	if (entry.version !== envelope.data.version) {
		return {
			ok: false,
			error: `${envelope.data.type} v${envelope.data.version} is not the catalog's v${entry.version}`,
		};
	}
	const detail = entry.detail.safeParse(envelope.data.detail);
	if (!detail.success)
		return { ok: false, error: `bad ${envelope.data.type} detail: ${z.prettifyError(detail.error)}` };
	return { ok: true, event: { ...envelope.data, detail: detail.data } as EdgeEvent };
}

/** Does an event type match a rule pattern such as `OrderManager.*` or `*`? */
export function matches(pattern: string, type: string): boolean {
	if (pattern === "*") return true;
	if (pattern.endsWith(".*")) return type.startsWith(pattern.slice(0, -1));
	return pattern === type;
}
