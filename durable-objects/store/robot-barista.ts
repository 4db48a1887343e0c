import type { Result } from "#contract/errors.ts";
import type { Order } from "#contract/order.ts";
import type { Actor } from "#contract/actor.ts";
import type { OrderRow } from "./schema";
import type { Timers } from "../blocks/timers";

/** The staff id the robot barista acts under. */
export const robotStaffId = "robot";

interface OrderActor {
	act(actor: Actor, action: "claim" | "complete"): Promise<Result<Order>>;
}

/**
 * The demo "Robot" switch: the store claims and completes its own queued orders, one drink at a time. It
 * works through the same order workflow as a person, so everything downstream (events, boards,
 * notifications) sees a barista at work.
 */
export class RobotBarista {
	#sql: SqlStorage;
	#timers: Pick<Timers<"robot">, "set" | "setNoLaterThan">;
	#order: (orderId: string) => OrderActor;

	constructor(
		sql: SqlStorage,
		timers: Pick<Timers<"robot">, "set" | "setNoLaterThan">,
		order: (orderId: string) => OrderActor,
	) {
		this.#sql = sql;
		this.#timers = timers;
		this.#order = order;
	}

	/** Something may be waiting for the robot: have it look within a second. */
	wake(now: number): void {
		this.#timers.setNoLaterThan("robot", now + 1000);
	}

	/** Finish the drink it is making once its time is up, then take the oldest queued order. */
	async step(at: number, storeId: string, secondsPerDrink: number): Promise<void> {
		const robot: Actor = { kind: "staff", staffId: robotStaffId, storeId, role: "barista", name: "Robot" };
		const drinkMs = secondsPerDrink * 1000;
		const making = this.#sql
			.exec<OrderRow>(`SELECT * FROM orders WHERE state = 'MAKING'`)
			.toArray()
			.find((row) => row.snapshot && (JSON.parse(row.snapshot) as Order).baristaId === robotStaffId);
		if (making) {
			const due = (making.claimed_at ?? at) + drinkMs;
			if (at < due) return this.#timers.set("robot", due);
			await this.#act(making.order_id, robot, "complete");
		}
		const next = this.#sql
			.exec<{ order_id: string }>(
				`SELECT order_id FROM orders WHERE state = 'QUEUED' ORDER BY queued_at, number LIMIT 1`,
			)
			.toArray()[0];
		if (!next) return;
		const claimed = await this.#act(next.order_id, robot, "claim");
		this.#timers.set("robot", Date.now() + (claimed ? drinkMs : 1000));
	}

	async #act(orderId: string, robot: Actor, action: "claim" | "complete"): Promise<boolean> {
		try {
			return (await this.#order(orderId).act(robot, action)).ok;
		} catch (error) {
			console.warn(`robot barista: ${action} ${orderId} failed (${String(error)})`);
			return false;
		}
	}
}
