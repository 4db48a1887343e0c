import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { languages } from "#i18n/languages";

/**
 * The read model in D1, written only by the event consumer. The Durable Objects hold the truth;
 * these tables answer the queries they cannot (lists, history, analytics). Times are epoch milliseconds.
 */

export const orders = sqliteTable(
	"orders",
	{
		id: text("id").primaryKey(),
		storeId: text("store_id").notNull(),
		userId: text("user_id").notNull(),
		number: integer("number"),
		state: text("state").notNull(),
		drinkId: text("drink_id"),
		drinkName: text("drink_name"),
		/** JSON array of `{ group, choice, label }`. */
		options: text("options").notNull(),
		name: text("name"),
		baristaId: text("barista_id"),
		baristaName: text("barista_name"),
		reason: text("reason"),
		/** The OrderDO's version of this row: a projection only ever moves it forward. */
		version: integer("version").notNull(),
		createdAt: integer("created_at").notNull(),
		updatedAt: integer("updated_at").notNull(),
		expiresAt: integer("expires_at"),
		queuedAt: integer("queued_at"),
		claimedAt: integer("claimed_at"),
		finishedAt: integer("finished_at"),
	},
	(t) => [
		index("orders_store_state").on(t.storeId, t.state, t.createdAt),
		index("orders_user").on(t.userId, t.createdAt),
		index("orders_store_time").on(t.storeId, t.createdAt),
	],
);

/** Every event ever delivered, once: the order journey (by order) and the archive that replay reads. */
export const orderEvents = sqliteTable(
	"order_events",
	{
		eventId: text("event_id").primaryKey(),
		type: text("type").notNull(),
		storeId: text("store_id").notNull(),
		orderId: text("order_id"),
		/** The order version the event carries, if it is about an order. */
		orderVersion: integer("order_version"),
		time: integer("time").notNull(),
		/** The whole envelope as JSON, so the event can be re-sent exactly. */
		envelope: text("envelope").notNull(),
	},
	(t) => [
		index("order_events_order").on(t.orderId, t.time),
		index("order_events_store_time").on(t.storeId, t.time),
		index("order_events_time").on(t.time),
	],
);

/** The latest public view of each store (for listing stores and labelling analytics). */
export const stores = sqliteTable("stores", {
	id: text("id").primaryKey(),
	name: text("name").notNull(),
	open: integer("open", { mode: "boolean" }).notNull(),
	version: integer("version").notNull(),
	/** The store's public view as JSON. */
	view: text("view").notNull(),
	updatedAt: integer("updated_at").notNull(),
});

/** Events that could not be processed after every retry, kept for a person to look at. */
export const deadLetters = sqliteTable("dead_letters", {
	id: integer("id").primaryKey({ autoIncrement: true }),
	messageId: text("message_id").notNull(),
	body: text("body").notNull(),
	error: text("error"),
	receivedAt: integer("received_at").notNull(),
});

/**
 * Browsers that asked to hear about an order (Web Push). The notifier owns these two tables: the API
 * writes a subscription for the order's attendee, the event consumer reads it and drops it when the
 * push service says it is gone. Keys are base64url as the browser gave them.
 */
export const pushSubscriptions = sqliteTable(
	"push_subscriptions",
	{
		id: integer("id").primaryKey({ autoIncrement: true }),
		orderId: text("order_id").notNull(),
		userId: text("user_id").notNull(),
		endpoint: text("endpoint").notNull(),
		p256dh: text("p256dh").notNull(),
		auth: text("auth").notNull(),
		/** When the browser said the subscription ends, if it did. */
		expiresAt: integer("expires_at"),
		/** The phone's language: notices are written in it. */
		lang: text("lang", { enum: languages }).notNull().default("en"),
		createdAt: integer("created_at").notNull(),
		updatedAt: integer("updated_at").notNull(),
	},
	(t) => [uniqueIndex("push_subscriptions_order_endpoint").on(t.orderId, t.endpoint)],
);

/** One row per notice a push service accepted, so a redelivered event is not pushed twice. */
export const pushDeliveries = sqliteTable(
	"push_deliveries",
	{
		subscriptionId: integer("subscription_id")
			.notNull()
			.references(() => pushSubscriptions.id, { onDelete: "cascade" }),
		eventId: text("event_id").notNull(),
		sentAt: integer("sent_at").notNull(),
	},
	(t) => [primaryKey({ columns: [t.subscriptionId, t.eventId] })],
);

/**
 * Attendees who asked to be forgotten. The projector scrubs their name and id from every row it writes
 * and from the archive, including events that were still in the queue when they asked.
 */
export const forgottenUsers = sqliteTable("forgotten_users", {
	userId: text("user_id").primaryKey(),
	forgottenAt: integer("forgotten_at").notNull(),
});

/**
 * Extensions (docs/extensions.md): the endpoints the deployment admin registered. The secret is the
 * Standard Webhooks key (`whsec_…`); after a rotation the one it replaced keeps signing until `previousUntil`.
 */
export const webhookEndpoints = sqliteTable("webhook_endpoints", {
	id: text("id").primaryKey(),
	url: text("url").notNull(),
	pattern: text("pattern").notNull(),
	/** JSON array of store ids; empty: every store. */
	stores: text("stores").notNull(),
	eventId: text("event_id"),
	description: text("description").notNull(),
	secret: text("secret").notNull(),
	previousSecret: text("previous_secret"),
	previousUntil: integer("previous_until"),
	paused: integer("paused", { mode: "boolean" }).notNull(),
	createdAt: integer("created_at").notNull(),
	updatedAt: integer("updated_at").notNull(),
});

/**
 * One row per event sent (or to be sent) to an endpoint, keyed by its `webhook-id`. The delivery consumer
 * owns it: `pending` while on its way or retrying, `held` while the endpoint is paused, `delivered`, or `dead`
 * once out of attempts (the endpoint's dead letters, with the last status and error, until redriven).
 */
export const webhookDeliveries = sqliteTable(
	"webhook_deliveries",
	{
		id: text("id").primaryKey(),
		endpointId: text("endpoint_id")
			.notNull()
			.references(() => webhookEndpoints.id, { onDelete: "cascade" }),
		eventType: text("event_type").notNull(),
		/** The JSON body, exactly as every attempt sends it. */
		payload: text("payload").notNull(),
		status: text("status", { enum: ["pending", "held", "delivered", "dead"] }).notNull(),
		attempts: integer("attempts").notNull(),
		lastStatus: integer("last_status"),
		lastError: text("last_error"),
		createdAt: integer("created_at").notNull(),
		updatedAt: integer("updated_at").notNull(),
	},
	(t) => [index("webhook_deliveries_endpoint").on(t.endpointId, t.status, t.createdAt)],
);

/**
 * Venue events (contract/venue-event.ts), for listing them: each VenueEventDO owns its event, and the admin
 * routes copy its view here after every change.
 */
export const venueEvents = sqliteTable("venue_events", {
	id: text("id").primaryKey(),
	name: text("name").notNull(),
	/** The event's view as JSON. */
	view: text("view").notNull(),
	updatedAt: integer("updated_at").notNull(),
});
