import { walkUpUserId } from "#contract/attendees.ts";
import { staffMoves, type StaffMove } from "#contract/moves.ts";
import type { Order } from "#contract/order.ts";
import type { PatchStoreBody, StoreView } from "#contract/store.ts";

/**
 * What the tablet has done that the server has not confirmed yet: every barista action, kept in order with
 * the idempotency key it was created with, and how the board looks with those actions applied. The server
 * decides; this only shows the barista what they did while the Wi-Fi was down.
 */

export type WalkUpChoice = { drink: string; options: Record<string, string | string[]>; name?: string };

export type Action =
	/** A move on an order, with the order as the barista saw it when they tapped. */
	| { kind: "move"; move: StaffMove; order: Order }
	| { kind: "patch"; change: PatchStoreBody }
	| { kind: "walk-up"; choice: WalkUpChoice };

export interface Entry {
	/** Sent as the `Idempotency-Key`: a replay of a request that did reach the server is not done twice. */
	key: string;
	/** When the barista took the action (epoch ms). */
	at: number;
	action: Action;
}

/** A move applied to the order the way the server would, if the order is still where the move starts from. */
function applyMove(order: Order, move: StaffMove, at: string, staffId: string | undefined): Order {
	const rule = staffMoves[move];
	if (!(rule.from as readonly string[]).includes(order.state)) return order;
	const moved: Order = { ...order, state: rule.to };
	switch (move) {
		case "claim":
			return { ...moved, baristaId: staffId ?? null, baristaName: null, claimedAt: at };
		case "unclaim":
			return { ...moved, baristaId: null, baristaName: null, claimedAt: null };
		case "complete":
			return { ...moved, finishedAt: at, expiresAt: null };
		case "cancel":
			return { ...moved, reason: "barista", finishedAt: at, expiresAt: null };
		case "remind":
			return { ...moved, reminders: (order.reminders ?? 0) + 1, remindedAt: at };
	}
}

/** The orders with this tablet's unconfirmed moves applied, in the order they were taken. */
export function withPendingMoves(orders: Order[], entries: Entry[], staffId: string | undefined): Order[] {
	const byId = new Map(orders.map((o) => [o.id, o]));
	for (const { action, at } of entries) {
		if (action.kind !== "move") continue;
		const order = byId.get(action.order.id);
		if (order) byId.set(order.id, applyMove(order, action.move, new Date(at).toISOString(), staffId));
	}
	return [...byId.values()];
}

/** The store with this tablet's unconfirmed changes (open, pause, sold out, robot) applied. */
export function withPendingChanges(store: StoreView, entries: Entry[]): StoreView {
	let shown = store;
	for (const { action } of entries) {
		if (action.kind !== "patch") continue;
		const { open, paused, availability, robotBarista, robotSecondsPerDrink } = action.change;
		const drinks = availability?.drinks ?? {};
		const choices = availability?.choices ?? {};
		shown = {
			...shown,
			open: open ?? shown.open,
			paused: paused ?? shown.paused,
			settings: {
				...shown.settings,
				robotBarista: robotBarista ?? shown.settings.robotBarista,
				robotSecondsPerDrink: robotSecondsPerDrink ?? shown.settings.robotSecondsPerDrink,
			},
			menu: {
				drinks: shown.menu.drinks.map((d) => (d.id in drinks ? { ...d, available: drinks[d.id]! } : d)),
				optionGroups: shown.menu.optionGroups.map((g) => ({
					...g,
					choices: g.choices.map((c) =>
						c.id in (choices[g.id] ?? {}) ? { ...c, available: choices[g.id]![c.id]! } : c,
					),
				})),
			},
		};
	}
	return shown;
}

/** A walk-up not sent yet, as a card for the Queued lane: no number (the server gives it), no moves. */
export function pendingWalkUp(entry: Entry, choice: WalkUpChoice, store: StoreView): Order {
	const at = new Date(entry.at).toISOString();
	const drink = store.menu.drinks.find((d) => d.id === choice.drink);
	const options = Object.entries(choice.options).flatMap(([group, picked]) =>
		(Array.isArray(picked) ? picked : [picked]).map((id) => ({
			group,
			choice: id,
			label: store.menu.optionGroups.find((g) => g.id === group)?.choices.find((c) => c.id === id)?.name ?? id,
		})),
	);
	return {
		id: `pending-${entry.key}`,
		storeId: store.id,
		number: null,
		state: "QUEUED",
		drink: { id: choice.drink, name: drink?.name ?? choice.drink },
		options,
		name: choice.name ?? null,
		userId: walkUpUserId,
		baristaId: null,
		baristaName: null,
		reason: null,
		version: 0,
		createdAt: at,
		updatedAt: at,
		expiresAt: null,
		queuedAt: at,
		claimedAt: null,
		finishedAt: null,
	};
}
