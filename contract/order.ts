import { z } from "zod";
import { plainText } from "./names";
import { Slug } from "./store";

export const orderStates = ["AWAITING_ORDER", "QUEUED", "MAKING", "READY", "CANCELLED", "TIMED_OUT"] as const;
export const OrderState = z.enum(orderStates);
export type OrderState = z.infer<typeof OrderState>;

/** Why an order ended without a drink; `burst`: staff ended a burst of admissions nobody ordered from (contract/bursts.ts). */
export const EndReason = z.enum([
	"customer",
	"barista",
	"store_closed",
	"customer_timeout",
	"barista_timeout",
	"burst",
]);
export type EndReason = z.infer<typeof EndReason>;

export const CupName = plainText(30).min(1);

export const ScanBody = z.strictObject({ code: z.string().min(1).max(200) }).meta({ id: "Scan" });

export const ScanResult = z
	.object({
		orderId: z.string(),
		/** When the attendee's window to choose a drink closes. */
		expiresAt: z.string(),
	})
	.meta({ id: "ScanResult" });
export type ScanResult = z.infer<typeof ScanResult>;

export const SubmitOrderBody = z
	.strictObject({
		drink: Slug,
		/** Option group id → choice id (a list for `multi` groups). */
		options: z.record(Slug, z.union([Slug, z.array(Slug).max(20)])).default({}),
		name: CupName.optional(),
	})
	.meta({ id: "SubmitOrder" });
export type SubmitOrderBody = z.infer<typeof SubmitOrderBody>;
/** What staff (or, for cancel, the attendee) do to an order through the API. */
export type BaristaAction = "claim" | "unclaim" | "complete" | "cancel";

/** The drink an order is for, as the store checks it against its menu. */
export type DrinkChoice = Pick<SubmitOrderBody, "drink" | "options" | "name">;

export const OrderOption = z.object({
	group: z.string(),
	choice: z.string(),
	/** What goes on the cup and the ticket, e.g. "Oat". */
	label: z.string(),
});
export type OrderOption = z.infer<typeof OrderOption>;

export const Order = z
	.object({
		id: z.string(),
		storeId: z.string(),
		/** Assigned when the drink is submitted. */
		number: z.int().nullable(),
		state: OrderState,
		drink: z.object({ id: z.string(), name: z.string() }).nullable(),
		options: z.array(OrderOption),
		name: z.string().nullable(),
		userId: z.string(),
		baristaId: z.string().nullable(),
		baristaName: z.string().nullable(),
		reason: EndReason.nullable(),
		version: z.int(),
		createdAt: z.string(),
		updatedAt: z.string(),
		/** When the running timer (customer's, then barista's) ends the order. Null once finished. */
		expiresAt: z.string().nullable(),
		queuedAt: z.string().nullable(),
		claimedAt: z.string().nullable(),
		finishedAt: z.string().nullable(),
		/** How often staff have called the attendee to collect the READY drink, and when last; absent until then. */
		reminders: z.int().min(1).optional(),
		remindedAt: z.string().optional(),
		/** 1-based place in the store's queue while QUEUED. */
		position: z.int().optional(),
		etaSeconds: z.int().optional(),
	})
	.meta({ id: "Order" });
export type Order = z.infer<typeof Order>;

export const OrderList = z.object({ orders: z.array(Order), next: z.string().nullable() }).meta({ id: "OrderList" });
export type OrderList = z.infer<typeof OrderList>;

export { forgottenUserId, walkUpUserId } from "./attendees";

/** The first word of a cup name: all the public board may show. */
export function firstName(name: string | null): string | null {
	const first = name?.trim().split(/\s+/)[0];
	return first ? first.slice(0, 20) : null;
}
