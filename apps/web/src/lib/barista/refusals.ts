import { ApiRefusal } from "#client/api.ts";
import type { StaffMove } from "#contract/moves.ts";
import type { Order } from "#contract/order.ts";
import type { Menu } from "#contract/store.ts";
import { refusalText } from "#lib/api.ts";
import { t } from "#lib/strings.ts";
import type { Refusal } from "./outbox.svelte.ts";
import type { Action } from "./pending.ts";

/** The words of each move's button, to say which tap was not done. */
export function moveWord(move: StaffMove): string {
	return {
		claim: t.barista.make,
		unclaim: t.barista.unmake,
		complete: t.barista.complete,
		cancel: t.barista.cancel,
		remind: t.barista.remind,
	}[move];
}

/** An action in the barista's words: “Make” #12, walk-up Latte for Ada, your change to the store. */
export function actionWords(action: Action, menu: Menu | null): string {
	switch (action.kind) {
		case "move":
			return t.barista.outbox.move(moveWord(action.move), action.order.number);
		case "walk-up":
			return t.barista.outbox.walkUp(
				menu?.drinks.find((d) => d.id === action.choice.drink)?.name ?? action.choice.drink,
				action.choice.name ?? null,
			);
		case "patch":
			return t.barista.outbox.change;
	}
}

/**
 * Why an action was refused, in plain words, from what happened to the order meanwhile: `order` is its
 * copy on the board now (caught up by snapshot), the refusal's details say the state the server saw.
 */
export function refusedWhy(refusal: Refusal, order: Order | undefined): string {
	const why = t.barista.outbox;
	if (refusal.code === "rate_limited") return why.tooSoon;
	if (refusal.code === "order_not_found") return why.gone;
	const state =
		refusal.code === "illegal_transition"
			? (order?.state ?? (refusal.details?.state as string | undefined))
			: undefined;
	switch (state) {
		case "MAKING":
			return order?.baristaName ? why.takenBy(order.baristaName) : why.taken;
		case "READY":
			return why.ready;
		case "QUEUED":
			return why.queued;
		case "TIMED_OUT":
			return why.timedOut;
		case "CANCELLED":
			return order?.reason === "customer"
				? why.cancelledByAttendee
				: order?.reason === "store_closed"
					? why.cancelledStoreClosed
					: why.cancelledByBarista;
		default:
			return refusalText(new ApiRefusal(0, refusal.code, refusal.message, refusal.details));
	}
}
