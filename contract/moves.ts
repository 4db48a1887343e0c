import type { OrderState } from "./order";

/** States that hold a capacity slot in the store (no zod here: the front ends import it). */
export const openStates: readonly OrderState[] = ["AWAITING_ORDER", "QUEUED", "MAKING"];
export const isOpenState = (state: OrderState): boolean => openStates.includes(state);

/**
 * The moves staff make on an order, as the states each starts from and leads to. The OrderDO's workflow
 * enforces them; the barista's tablet uses the same table to show a move it took offline before the server
 * has it. (No zod here: the front ends import it.)
 */
export const staffMoves = {
	claim: { from: ["QUEUED"], to: "MAKING" },
	unclaim: { from: ["MAKING"], to: "QUEUED" },
	complete: { from: ["MAKING"], to: "READY" },
	cancel: { from: ["AWAITING_ORDER", "QUEUED", "MAKING"], to: "CANCELLED" },
	// Not a move: the drink stays READY, and the attendee is called again to collect it.
	remind: { from: ["READY"], to: "READY" },
} as const satisfies Record<string, { from: readonly OrderState[]; to: OrderState }>;

export type StaffMove = keyof typeof staffMoves;
