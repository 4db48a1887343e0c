/** Who is asking. The Worker authenticates; the Durable Objects decide what that actor may do. */
export type Actor =
	/** `challenged`: the session passed a Turnstile challenge when it was minted (needed to scan while Turnstile is on). */
	| { kind: "attendee"; userId: string; name: string | null; challenged?: boolean }
	| { kind: "staff"; staffId: string; storeId: string; role: StaffRole; name: string | null }
	/** A store's big screen: it reads the QR code and the board, nothing else. */
	| { kind: "display"; displayId: string; storeId: string }
	/** The deployment's admin token: every store. */
	| { kind: "admin" }
	/** Timers and the store acting on its own orders. */
	| { kind: "system" };

export type StaffRole = "barista" | "admin";

export function isStaffOf(actor: Actor, storeId: string): boolean {
	return actor.kind === "admin" || (actor.kind === "staff" && actor.storeId === storeId);
}

export function isAdminOf(actor: Actor, storeId: string): boolean {
	return actor.kind === "admin" || (actor.kind === "staff" && actor.storeId === storeId && actor.role === "admin");
}

/** Staff of the store, its own display, or the deployment admin: who may see the store's QR code. */
export function isScreenOf(actor: Actor, storeId: string): boolean {
	return isStaffOf(actor, storeId) || (actor.kind === "display" && actor.storeId === storeId);
}

/** Is this the attendee the order belongs to? */
export function isOwner(order: { userId: string }, actor: Actor): boolean {
	return actor.kind === "attendee" && actor.userId === order.userId;
}

/** May this actor see the order at all? Others are told it does not exist. */
export function canSee(order: { userId: string; storeId: string }, actor: Actor): boolean {
	return actor.kind === "system" || isOwner(order, actor) || isStaffOf(actor, order.storeId);
}
