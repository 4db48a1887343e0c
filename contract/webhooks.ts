import { z } from "zod";
import { eventTypes } from "./events";
import { Slug } from "./store";

/**
 * Extensions as webhooks (docs/extensions.md): endpoints the deployment admin registers, and the deliveries
 * made to them under the Standard Webhooks specification (https://www.standardwebhooks.com).
 */

/** `*`, a source's every type (`OrderManager.*`), or one catalog type. */
export function isEventPattern(pattern: string): boolean {
	if (pattern === "*") return true;
	if (pattern.endsWith(".*")) return eventTypes.some((type) => type.startsWith(pattern.slice(0, -1)));
	return (eventTypes as string[]).includes(pattern);
}

const EventPattern = z
	.string()
	.max(100)
	.refine(isEventPattern, "must be *, Source.* for a source of the event catalog, or one of its event types")
	.meta({ pattern: "^(\\*|[A-Za-z]+\\.(\\*|[A-Za-z]+))$" });

/** An https URL without credentials; whether it is a safe target is the server's check (workers/webhooks/targets.ts). */
const EndpointUrl = z
	.url({ protocol: /^https$/, error: "must be an https URL" })
	.max(2000)
	.refine((url) => {
		const parsed = URL.canParse(url) ? new URL(url) : null;
		return parsed !== null && !parsed.username && !parsed.password;
	}, "must not carry credentials")
	.meta({ pattern: "^https://[^\\s@/]+([/?#][^\\s]*)?$" });

const fields = {
	url: EndpointUrl,
	/** Which event types it receives. */
	pattern: EventPattern,
	/** Only events of these stores; empty or absent: every store. */
	stores: z.array(Slug).max(100),
	/** Only events carrying this event (conference) id; null or absent: any. */
	eventId: z.string().min(1).max(64).nullable(),
	description: z.string().max(200),
};

export const EndpointCreate = z
	.strictObject({
		url: fields.url,
		pattern: fields.pattern,
		stores: fields.stores.optional(),
		eventId: fields.eventId.optional(),
		description: fields.description.optional(),
	})
	.meta({ id: "WebhookEndpointCreate" });
export type EndpointCreate = z.infer<typeof EndpointCreate>;

export const EndpointUpdate = EndpointCreate.partial()
	.refine((body) => Object.keys(body).length > 0, "change at least one field")
	.meta({ id: "WebhookEndpointUpdate" });
export type EndpointUpdate = z.infer<typeof EndpointUpdate>;

export const DeliveryCounts = z.object({
	pending: z.int(),
	held: z.int(),
	delivered: z.int(),
	dead: z.int(),
});

export const Endpoint = z
	.object({
		id: z.string(),
		url: z.string(),
		pattern: z.string(),
		stores: z.array(z.string()),
		eventId: z.string().nullable(),
		description: z.string(),
		paused: z.boolean(),
		createdAt: z.string(),
		updatedAt: z.string(),
		/** Until when the secret replaced by the last rotation still signs beside the current one; null: none does. */
		previousSecretUntil: z.string().nullable(),
		deliveries: DeliveryCounts,
	})
	.meta({ id: "WebhookEndpoint" });
export type Endpoint = z.infer<typeof Endpoint>;

export const EndpointList = z.object({ endpoints: z.array(Endpoint) }).meta({ id: "WebhookEndpointList" });

/** The signing secret, in Standard Webhooks form: `whsec_` and the key's bytes in base64. Shown only here. */
export const EndpointSecret = z
	.object({ endpoint: Endpoint, secret: z.string().regex(/^whsec_[A-Za-z0-9+/]+={0,2}$/) })
	.meta({ id: "WebhookEndpointSecret" });
export type EndpointSecret = z.infer<typeof EndpointSecret>;

export const deliveryStatuses = ["pending", "held", "delivered", "dead"] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

export const Delivery = z
	.object({
		/** The `webhook-id` header: the same on every attempt, so receivers dedupe on it. */
		id: z.string(),
		eventType: z.string(),
		/** pending: on its way or waiting to retry; held: its endpoint is paused; dead: out of attempts. */
		status: z.enum(deliveryStatuses),
		attempts: z.int(),
		/** The endpoint's last HTTP status, if it answered at all. */
		lastStatus: z.int().nullable(),
		lastError: z.string().nullable(),
		createdAt: z.string(),
		updatedAt: z.string(),
	})
	.meta({ id: "WebhookDelivery" });
export type Delivery = z.infer<typeof Delivery>;

export const DeliveryQuery = z.object({
	status: z.enum(deliveryStatuses).optional(),
	limit: z.coerce.number().int().min(1).max(100).default(50),
});

export const DeliveryList = z.object({ deliveries: z.array(Delivery) }).meta({ id: "WebhookDeliveryList" });

const DeliveryId = z.string().min(1).max(200);

export const WebhookRedrive = z
	.strictObject({
		/** These dead deliveries only… */
		ids: z.array(DeliveryId).min(1).max(50).optional(),
		/** …or every dead delivery of the endpoint. */
		all: z.literal(true).optional(),
	})
	// An explicit scope, as for the event dead letters.
	.refine((body) => (body.ids === undefined) !== (body.all === undefined), {
		message: "give either ids or all: true",
		path: ["ids"],
	})
	.meta({ id: "WebhookRedrive" });
export type WebhookRedrive = z.infer<typeof WebhookRedrive>;

export const WebhookRedriveResult = z.object({ redriven: z.int() }).meta({ id: "WebhookRedriveResult" });

/** The body of every delivery: Standard Webhooks' `{ type, timestamp, data }`. */
export interface WebhookPayload {
	type: string;
	timestamp: string;
	data: {
		/** The bus event's id (also the start of `webhook-id`). */
		eventId: string;
		storeId: string;
		orderId: string | null;
		/** What the event carried, limited to the fields the public order journey shows (contract/journey.ts). */
		detail: Record<string, unknown>;
	};
}
