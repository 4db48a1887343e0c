/** Who is asking. The Worker authenticates; the Durable Objects decide what that actor may do. */
export type Actor =
	| { kind: "attendee"; userId: string; name: string | null }
	| { kind: "staff"; staffId: string; storeId: string; role: StaffRole; name: string | null }
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
