import { fail, ok, type Result } from "#contract/errors.ts";
import { forgottenUserId, type Order, type OrderState, type DrinkChoice } from "#contract/order.ts";
import { isOpenState } from "#contract/moves.ts";
import { resolveSelection, type Selection } from "#contract/selection.ts";
import type { Admission as Waiting } from "#contract/bursts.ts";
import { openCount, openStateList, orderRow, type OrderRow, type StoreRecord } from "./schema";

export interface Submission extends Selection {
	number: number;
	queuedAt: number;
	baristaDeadline: number;
	position: number;
	etaSeconds: number;
}

export interface StoreAudit {
	openOrders: number;
	capacity: number;
	byState: Record<string, number>;
	codes: { code: string; total: number; left: number; redeemed: number }[];
	orders: { id: string; state: OrderState; version: number }[];
}

/**
 * The store's copy of its orders (Admission opens them): their numbers and queue places, the latest version
 * each OrderDO reported, which still need their workflow started, and which a "close and cancel" left to
 * cancel. Each method is one synchronous stretch of SQL.
 */
export class StoreOrders {
	#sql: SqlStorage;

	constructor(sql: SqlStorage) {
		this.#sql = sql;
	}

	row(orderId: string): OrderRow | undefined {
		return orderRow(this.#sql, orderId);
	}

	/** Orders holding a capacity slot right now. */
	get open(): number {
		return openCount(this.#sql);
	}

	/**
	 * An attendee's drink for their admitted order: checked against the menu, it joins the queue with the
	 * store's next number (the caller counts it on) and the place `joining` gives it.
	 */
	submit(
		record: StoreRecord,
		orderId: string,
		userId: string,
		body: DrinkChoice,
		joining: () => { position: number; etaSeconds: number },
		now: number,
	): Result<Submission> {
		const row = this.row(orderId);
		if (!row || row.user_id !== userId) return fail("order_not_found", `No order ${orderId}.`);
		if (row.state !== "AWAITING_ORDER") {
			return fail("illegal_transition", `Cannot submit: the order is ${row.state}.`, { state: row.state });
		}
		const selection = resolveSelection(record.menu, body);
		if (!selection.ok) return selection;
		const number = record.nextNumber;
		const { position, etaSeconds } = joining();
		this.#sql.exec(
			`UPDATE orders SET state = 'QUEUED', number = ?, queued_at = ?, name = coalesce(?, name),
			   position_at_queue = ?, pushed_position = ?, pushed_eta = ? WHERE order_id = ?`,
			number,
			now,
			body.name ?? null,
			position,
			position,
			etaSeconds,
			orderId,
		);
		const baristaDeadline = now + record.settings.baristaTimeoutSeconds * 1000;
		return ok({ ...selection.value, number, queuedAt: now, baristaDeadline, position, etaSeconds });
	}

	/**
	 * Records a version an OrderDO reported; returns the row as it was, or null when the report is stale (an
	 * older version, or a finished order changing state). Reports may repeat and arrive out of order.
	 */
	record(order: Order): OrderRow | null {
		const row = this.row(order.id);
		if (!row || order.version <= row.version) return null;
		// A finished order never changes state again; later versions only annotate it (a reminder, a forgotten name).
		if (!isOpenState(row.state) && order.state !== row.state) return null;
		const at = (iso: string | null | undefined): number | null => (iso ? Date.parse(iso) : null);
		this.#sql.exec(
			`UPDATE orders SET state = ?, version = ?, number = ?, name = ?, queued_at = ?, claimed_at = ?, finished_at = ?,
			   called_at = ?, snapshot = ? WHERE order_id = ?`,
			order.state,
			order.version,
			order.number,
			order.name,
			at(order.queuedAt),
			at(order.claimedAt),
			at(order.finishedAt),
			at(order.remindedAt),
			JSON.stringify(order),
			order.id,
		);
		// A claim or an unclaim changes what the order should be told about its wait; tell it afresh.
		if (row.state !== order.state)
			this.#sql.exec(`UPDATE orders SET pushed_position = NULL, pushed_eta = NULL WHERE order_id = ?`, order.id);
		return row;
	}

	/** Orders whose workflow or directory entry is still to be recorded (finished ones too). */
	unstarted(): OrderRow[] {
		return this.#sql.exec<OrderRow>(`SELECT * FROM orders WHERE started = 0`).toArray();
	}

	started(orderId: string, order: Order): void {
		this.#sql.exec(
			`UPDATE orders SET started = 1, snapshot = coalesce(snapshot, ?) WHERE order_id = ?`,
			JSON.stringify(order),
			orderId,
		);
	}

	/** Marks every open order for cancelling ("close and cancel"); `closing` lists them until each is `closed`. */
	closeOpen(): void {
		for (const { order_id } of this.#sql.exec<{ order_id: string }>(
			`SELECT order_id FROM orders WHERE state IN ${openStateList}`,
		)) {
			this.#sql.exec(`INSERT OR IGNORE INTO closing (order_id) VALUES (?)`, order_id);
		}
	}

	closing(): string[] {
		return this.#sql
			.exec<{ order_id: string }>(`SELECT order_id FROM closing`)
			.toArray()
			.map((row) => row.order_id);
	}

	closed(orderId: string): void {
		this.#sql.exec(`DELETE FROM closing WHERE order_id = ?`, orderId);
	}

	/** Orders admitted whose drink is not chosen yet, as contract/bursts.ts reads them. */
	waiting(): Waiting[] {
		return this.#sql
			.exec<OrderRow>(`SELECT * FROM orders WHERE state = 'AWAITING_ORDER'`)
			.toArray()
			.map((row) => ({ id: row.order_id, admittedAt: row.created_at, state: row.state, userId: row.user_id }));
	}

	/** The orders this store holds for an attendee (including ones too new for the read model). */
	of(userId: string): string[] {
		return this.#sql
			.exec<{ order_id: string }>(`SELECT order_id FROM orders WHERE user_id = ?`, userId)
			.toArray()
			.map((r) => r.order_id);
	}

	/** The venue events the attendee's orders here reserved their drinks at. */
	eventsOf(userId: string): string[] {
		return this.#sql
			.exec<{ event_id: string }>(
				`SELECT DISTINCT event_id FROM orders WHERE user_id = ? AND event_id IS NOT NULL`,
				userId,
			)
			.toArray()
			.map((r) => r.event_id);
	}

	/**
	 * The attendee's name and id leave the orders and the redemptions. A redemption stays, under a stand-in id
	 * of its own, so the code's books still add up (redeemed = issued − left).
	 */
	forget(userId: string): void {
		this.#sql.exec(
			`UPDATE orders SET user_id = ?, name = NULL,
			   snapshot = CASE WHEN snapshot IS NULL THEN NULL ELSE json_set(snapshot, '$.name', NULL, '$.userId', ?) END
			 WHERE user_id = ?`,
			forgottenUserId,
			forgottenUserId,
			userId,
		);
		this.#sql.exec(`UPDATE redemptions SET user_id = ? || ':' || order_id WHERE user_id = ?`, forgottenUserId, userId);
	}

	/** Finished orders that ended before `before`. */
	prune(before: number): void {
		this.#sql.exec(`DELETE FROM orders WHERE state NOT IN ${openStateList} AND finished_at < ?`, before);
	}

	/**
	 * The store's own books, for invariant checks: orders by state, the capacity slots held, and for every
	 * code how many tokens it was issued, has left and how many attendees redeemed it (less those staff gave
	 * back by ending a burst).
	 */
	audit(capacity: number): StoreAudit {
		const byState = this.#sql
			.exec<{ state: string; n: number }>(`SELECT state, count(*) AS n FROM orders GROUP BY state`)
			.toArray();
		const codes = this.#sql
			.exec<{ code: string; total: number; left: number; redeemed: number }>(
				`SELECT code, tokens_total AS total, tokens_left AS left,
				   (SELECT count(*) FROM redemptions r WHERE r.code = codes.code AND r.returned = 0) AS redeemed
				 FROM codes`,
			)
			.toArray();
		const orders = this.#sql
			.exec<{ order_id: string; state: string; version: number }>(`SELECT order_id, state, version FROM orders`)
			.toArray()
			.map((r) => ({ id: r.order_id, state: r.state as OrderState, version: r.version }));
		return {
			openOrders: this.open,
			capacity,
			byState: Object.fromEntries(byState.map((r) => [r.state, r.n])),
			codes,
			orders,
		};
	}
}
