import { fail, ok, type Result } from "#contract/errors.ts";
import type { BoardQr, BoardStore, BoardTicket, StoreRole } from "#contract/live.ts";
import { firstName, type Order } from "#contract/order.ts";
import { isOpenState } from "#contract/moves.ts";
import { orderPageUrl, type QrView } from "#contract/store.ts";
import { isAdminOf, isScreenOf, isStaffOf, type Actor } from "#contract/actor.ts";
import type { CodeWindow } from "./qr";
import type { OrderRow, StoreRecord } from "./schema";

/**
 * What each kind of store socket is shown: the public board (numbers and first names, no code), the
 * signed-in display (the board and the QR code), and staff (every order). Pure functions of the store's rows.
 */

export const publicRoles: StoreRole[] = ["board", "display"];
export const staffRoles: StoreRole[] = ["barista", "admin"];

/** What a store socket carries about itself across hibernation. */
export interface SocketFacts {
	role: StoreRole;
	/** The public origin QR URLs are built with. */
	origin: string;
}

export function boardStore(record: StoreRecord): BoardStore {
	const { open, paused, displayLanguages } = record.settings;
	return { id: record.storeId, name: record.name, open, paused, languages: displayLanguages ?? ["en"] };
}

export function boardQr(storeId: string, window: CodeWindow, origin: string | null): BoardQr {
	return {
		code: origin === null ? null : window.code,
		url: origin === null ? null : orderPageUrl(origin, storeId, window.code),
		tokensLeft: window.tokensLeft,
		tokensTotal: window.tokensTotal,
		startsAt: new Date(window.startsAt).toISOString(),
		expiresAt: new Date(window.expiresAt).toISOString(),
	};
}

export function qrView(storeId: string, window: CodeWindow, origin: string): QrView {
	const { code, url, ...rest } = boardQr(storeId, window, origin);
	return { code: code!, url: url!, ...rest };
}

/** What the public board shows of an order, or null if it is not on the board. */
export function ticketOf(
	row: Pick<OrderRow, "number" | "name" | "state" | "finished_at" | "called_at">,
): BoardTicket | null {
	if (row.number === null) return null;
	const name = firstName(row.name);
	if (row.state === "QUEUED" || row.state === "MAKING")
		return { number: row.number, name, state: "preparing", readyAt: null, calledAt: null };
	if (row.state === "READY") {
		const readyAt = new Date(row.finished_at ?? Date.now()).toISOString();
		return {
			number: row.number,
			name,
			state: "ready",
			readyAt,
			calledAt: row.called_at === null ? null : new Date(row.called_at).toISOString(),
		};
	}
	return null;
}

export function orderOf(row: OrderRow): Order {
	const order = JSON.parse(row.snapshot!) as Order;
	if (row.state === "QUEUED" && row.pushed_position !== null) order.position = row.pushed_position;
	if (isOpenState(row.state) && row.pushed_eta !== null) order.etaSeconds = row.pushed_eta;
	return order;
}

/**
 * Which view a store socket gets: staff see everything of their store; the display needs the store's display
 * session (or staff's); the board is public.
 */
export function socketRole(actor: Actor | null, requested: string | null, storeId: string): Result<StoreRole> {
	if (requested !== null && requested !== "board" && requested !== "display") {
		return fail("invalid_request", "role must be board or display (staff get their own view without a role).");
	}
	if (requested === "board") return ok("board");
	const screen = actor !== null && isScreenOf(actor, storeId);
	if (requested === "display") {
		if (!actor)
			return fail(
				"unauthenticated",
				"The display signs in first: with a code from a barista's tablet, or the store's display PIN.",
			);
		return screen ? ok("display") : fail("forbidden", "Only this store's display and staff can open the display.");
	}
	if (actor?.kind === "display" && screen) return ok("display");
	if (!actor || !isStaffOf(actor, storeId)) return ok("board");
	return ok(isAdminOf(actor, storeId) ? "admin" : "barista");
}
