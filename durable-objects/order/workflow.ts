import { fail, type Failure } from "#contract/errors.ts";
import type { EventType } from "#contract/events.ts";
import { walkUpUserId } from "#contract/attendees.ts";
import { staffMoves } from "#contract/moves.ts";
import type { EndReason, Order, OrderState } from "#contract/order.ts";
import { canSee, isAdminOf, isOwner, isStaffOf, type Actor } from "#contract/actor.ts";

/**
 * The order workflow (docs/design.md#workflow) as data: who may do what, from which states, to which state,
 * and the event it emits. Anything else is refused; `decide` says why.
 */
export type Action =
	| "submit"
	| "claim"
	| "unclaim"
	| "complete"
	| "cancel"
	| "customer_timeout"
	| "barista_timeout"
	| "store_closed"
	| "end_burst"
	| "remind";

export interface Step {
	to: OrderState;
	event: EventType;
	reason: EndReason | null;
}

interface Rule {
	from: readonly OrderState[];
	to: OrderState;
	event: EventType;
	reason?: EndReason;
}

const rules: Record<Exclude<Action, "cancel">, Rule> = {
	submit: { from: ["AWAITING_ORDER"], to: "QUEUED", event: "OrderManager.WaitingCompletion" },
	claim: { ...staffMoves.claim, event: "OrderManager.MakeOrder" },
	unclaim: { ...staffMoves.unclaim, event: "OrderManager.OrderUnclaimed" },
	complete: { ...staffMoves.complete, event: "OrderManager.OrderCompleted" },
	customer_timeout: {
		from: ["AWAITING_ORDER"],
		to: "TIMED_OUT",
		event: "OrderProcessor.OrderTimeOut",
		reason: "customer_timeout",
	},
	barista_timeout: {
		from: ["QUEUED", "MAKING"],
		to: "TIMED_OUT",
		event: "OrderProcessor.OrderTimeOut",
		reason: "barista_timeout",
	},
	store_closed: {
		from: ["AWAITING_ORDER", "QUEUED", "MAKING"],
		to: "CANCELLED",
		event: "OrderManager.OrderCancelled",
		reason: "store_closed",
	},
	// Staff end a burst of admissions nobody ordered from; an order whose drink was chosen is never part of one.
	end_burst: { from: ["AWAITING_ORDER"], to: "CANCELLED", event: "OrderManager.OrderCancelled", reason: "burst" },
	remind: { ...staffMoves.remind, event: "OrderManager.CustomerReminded" },
};

const ownerCancel: Rule = {
	from: ["AWAITING_ORDER", "QUEUED"],
	to: "CANCELLED",
	event: "OrderManager.OrderCancelled",
	reason: "customer",
};
const staffCancel: Rule = { ...staffMoves.cancel, event: "OrderManager.OrderCancelled", reason: "barista" };

export function notFound(orderId: string): Failure {
	return fail("order_not_found", `No order ${orderId}.`);
}

function ruleFor(order: Order, action: Action, actor: Actor): Rule | Failure {
	const staff = isStaffOf(actor, order.storeId);
	switch (action) {
		case "submit":
			// A walk-up has no attendee session: the barista at the counter orders for them.
			if (order.userId === walkUpUserId && staff) return rules.submit;
			return isOwner(order, actor)
				? rules.submit
				: fail("forbidden", "Only the attendee who scanned the code can order this drink.");
		case "claim":
		case "complete":
		case "remind":
			return staff ? rules[action] : fail("forbidden", `Only a barista of this store can ${action} an order.`);
		case "unclaim":
			if (isAdminOf(actor, order.storeId) || (actor.kind === "staff" && staff && actor.staffId === order.baristaId)) {
				return rules.unclaim;
			}
			return fail("forbidden", "Only the barista making this order, or an admin, can put it back in the queue.");
		case "cancel":
			if (staff) return staffCancel;
			return isOwner(order, actor)
				? ownerCancel
				: fail("forbidden", "Only the attendee or a barista can cancel this order.");
		case "customer_timeout":
		case "barista_timeout":
		case "store_closed":
		case "end_burst":
			return actor.kind === "system" ? rules[action] : fail("forbidden", "Only the system can do that.");
	}
}

const refusals: Partial<Record<Action, Partial<Record<OrderState, string>>>> = {
	cancel: { MAKING: "A barista is already making it; ask at the bar." },
	submit: { QUEUED: "The drink was already ordered." },
	remind: { MAKING: "The drink is not ready yet.", QUEUED: "The drink is not ready yet." },
};

/** Every state an action can start from, whoever does it. */
function possibleFrom(action: Action): readonly OrderState[] {
	return action === "cancel" ? staffCancel.from : rules[action].from;
}

function refuse(order: Order, action: Action, from: readonly OrderState[]): Failure {
	const why = refusals[action]?.[order.state] ?? `Only an order that is ${from.join(" or ")} can be changed that way.`;
	return fail("illegal_transition", `Cannot ${action.replace("_", " ")}: the order is ${order.state}. ${why}`, {
		state: order.state,
	});
}

/**
 * What `action` by `actor` does to `order`, or why it may not: 404 for those who may not see the order,
 * 409 naming the state for a move no one can make from it, 403 for a move this actor may not make.
 */
export function decide(order: Order, action: Action, actor: Actor): Step | Failure {
	if (!canSee(order, actor)) return notFound(order.id);
	if (!possibleFrom(action).includes(order.state)) return refuse(order, action, possibleFrom(action));
	const rule = ruleFor(order, action, actor);
	if ("ok" in rule) return rule;
	if (!rule.from.includes(order.state)) return refuse(order, action, rule.from);
	return { to: rule.to, event: rule.event, reason: rule.reason ?? null };
}
