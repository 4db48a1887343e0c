import { fail, ok, type Failure, type Result } from "#contract/errors.ts";
import { createEvent } from "#contract/events.ts";
import { walkUpUserId, type Order, type DrinkChoice } from "#contract/order.ts";
import { isOpenState } from "#contract/moves.ts";
import { resolveSelection } from "#contract/selection.ts";
import type { Outbox } from "../blocks/outbox";
import type { EventReleases } from "./event-releases";
import { codeShape, type CodeBook, type CodeWindow } from "./qr";
import { openCount, orderRow, type OrderRow, type StoreRecord } from "./schema";

/** What the store needs to start an order's workflow in its OrderDO. */
export interface OrderStart {
	orderId: string;
	storeId: string;
	userId: string;
	name: string | null;
	createdAt: number;
	customerDeadline: number;
}

/** A drink reserved at the store's venue event for a new order (VenueEventDO.reserve). */
export interface Reservation {
	eventId: string;
	orderId: string;
	/** The attendee's day in the event's time zone. */
	day: string;
}

export interface Admitted {
	start: OrderStart;
	/** False for a repeat scan, which gets the open order it already made. */
	created: boolean;
}

/** Scans one attendee may make per minute at one store (the coarse per-IP limits are in the Worker). */
export const scanAttemptsPerMinute = 12;

/** Formatters by time zone: building one costs more than the rest of a scan's checks. */
const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar day of `time` in a store's time zone, as YYYY-MM-DD. */
export function dayOf(time: number, timeZone: string): string {
	let format = dayFormats.get(timeZone);
	if (!format) {
		format = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
		dayFormats.set(timeZone, format);
	}
	return format.format(time);
}

/**
 * Who gets a drink: the store's core invariant. Every check and every write of an admission runs in one
 * synchronous call on the store's SQLite, so no concurrency can oversell a code's tokens, a capacity slot
 * or an attendee's daily limit (at a store in a venue event, the limit is counted by the event's object:
 * see `scan`). It owns the order rows it opens, the per-minute scan counts and the daily
 * counts; the codes' tokens are the CodeBook's, and the events it records go to the store's outbox.
 */
export class Admission {
	#sql: SqlStorage;
	#codes: CodeBook;
	#outbox: Pick<Outbox, "add">;
	#releases: Pick<EventReleases, "add">;

	constructor(sql: SqlStorage, codes: CodeBook, outbox: Pick<Outbox, "add">, releases: Pick<EventReleases, "add">) {
		this.#sql = sql;
		this.#codes = codes;
		this.#outbox = outbox;
		this.#releases = releases;
	}

	/**
	 * Redeems a QR code for an attendee: checks the attendee's scan rate, the store, the code, the attendee's
	 * earlier redemption and daily limit, their network's share of the code (if the store sets one), the
	 * tokens and the capacity, then admits them with a new order. A repeat scan of the same code by the same
	 * attendee gets the order it already opened while that order is open. `network` is the client's (an IPv4
	 * address, an IPv6 /64), null when not counted.
	 *
	 * At a store in a venue event the daily limit is the event's: the store first runs `precheck`, reserves the
	 * drink at the event, then calls this with the `reservation` (null when it made none). A reservation this
	 * call does not turn into a new order is queued to be given back, in the same synchronous stretch.
	 */
	scan(
		record: StoreRecord,
		userId: string,
		name: string | null,
		code: string,
		network: string | null,
		now: number,
		reservation?: Reservation | null,
	): Result<Admitted> {
		const admitted = this.#admit(record, userId, name, code, network, now, reservation);
		if (reservation && (!admitted.ok || admitted.value.start.orderId !== reservation.orderId)) {
			this.#releases.add(reservation.orderId, reservation.eventId, now);
		}
		return admitted;
	}

	/**
	 * The first half of a scan at a store in a venue event: counts the attempt and runs every check but the
	 * daily limit, writing nothing else. `fresh` says a new order would be admitted (so a drink must be reserved).
	 */
	precheck(
		record: StoreRecord,
		userId: string,
		code: string,
		network: string | null,
		now: number,
	): Result<{ fresh: boolean }> {
		const refused = this.#countAttempt(userId, now);
		if (refused) return refused;
		const checked = this.#check(record, userId, code, network, now, false);
		return checked.ok ? ok({ fresh: !checked.value.repeat }) : checked;
	}

	#admit(
		record: StoreRecord,
		userId: string,
		name: string | null,
		code: string,
		network: string | null,
		now: number,
		reservation: Reservation | null | undefined,
	): Result<Admitted> {
		// The event's scans counted their attempt in `precheck`.
		if (reservation === undefined) {
			const refused = this.#countAttempt(userId, now);
			if (refused) return refused;
		}
		const atEvent = record.eventId !== undefined;
		const checked = this.#check(record, userId, code, network, now, !atEvent);
		if (!checked.ok) return checked;
		const { window, repeat, open } = checked.value;
		if (repeat) return ok({ start: repeat, created: false });
		if (atEvent && reservation?.eventId !== record.eventId) {
			// The store joined or left an event while the scan was reserving: the attendee scans again.
			return fail("unavailable", "This bar's event changed while you scanned: scan the code again.");
		}

		const day = reservation ? reservation.day : dayOf(now, record.settings.timeZone);
		const start = this.#open(record, userId, name, day, now, reservation ?? null);
		const { orderId } = start;
		const tokensLeft = this.#codes.redeem(code, userId, orderId);
		const budget = network === null ? 0 : record.settings.drinksPerNetworkPerCode;
		if (network !== null && budget > 0) this.#codes.countFor(code, network);
		if (!reservation) {
			this.#sql.exec(
				`INSERT INTO daily_orders (user_id, day, count) VALUES (?, ?, 1) ON CONFLICT (user_id, day) DO UPDATE SET count = count + 1`,
				userId,
				day,
			);
		}
		const codeExpiresAt = new Date(window.expiresAt).toISOString();
		const facts = { orderId, userId, tokensLeft, tokensTotal: window.tokensTotal, codeExpiresAt, openOrders: open + 1 };
		this.#outbox.add(createEvent("Validator.NewOrder", { storeId: record.storeId, orderId, time: now }, facts));
		return ok({ start, created: true });
	}

	/** Counts a scan attempt; refuses past `scanAttemptsPerMinute`. */
	#countAttempt(userId: string, now: number): Failure | null {
		const minute = Math.floor(now / 60_000);
		const attempts = this.#sql
			.exec<{ count: number }>(
				`INSERT INTO scan_attempts (user_id, minute, count) VALUES (?, ?, 1)
				 ON CONFLICT (user_id, minute) DO UPDATE SET count = count + 1 RETURNING count`,
				userId,
				minute,
			)
			.one().count;
		if (attempts <= scanAttemptsPerMinute) return null;
		return fail("rate_limited", "Too many scans: wait a minute and scan the code on the screen.", {
			retryAfterSeconds: Math.ceil(((minute + 1) * 60_000 - now) / 1000),
		});
	}

	/**
	 * Every check of a scan, writing nothing but a turn-away's event: the store, the code, the attendee's
	 * earlier redemption (a repeat scan of an open order is `repeat`), the store's daily limit when
	 * `storeLimit`, the network's share, the tokens and the capacity.
	 */
	#check(
		record: StoreRecord,
		userId: string,
		code: string,
		network: string | null,
		now: number,
		storeLimit: boolean,
	): Result<{ window: CodeWindow; repeat: OrderStart | null; open: number }> {
		const { settings } = record;
		if (!settings.open)
			return this.#turnAway(record, userId, "store_closed", `${record.name} is closed right now.`, now);
		if (settings.paused) {
			return this.#turnAway(
				record,
				userId,
				"store_paused",
				`${record.name} is not taking new orders for a moment.`,
				now,
			);
		}
		if (!codeShape.test(code)) return fail("code_invalid", "That is not an edgepresso code.");
		const window = this.#codes.find(code);
		if (!window) return { ...fail("code_invalid", "That code is not one of this store's."), status: 404 };
		if (window.expiresAt <= now) return fail("code_expired", "That code has expired: scan the one on the screen now.");

		const earlier = this.#codes.redemption(code, userId);
		if (earlier) {
			const row = orderRow(this.#sql, earlier);
			if (row && isOpenState(row.state)) {
				const { storeId } = record;
				const repeat = {
					orderId: earlier,
					storeId,
					userId,
					name: row.name,
					createdAt: row.created_at,
					customerDeadline: row.customer_deadline,
				};
				return ok({ window, repeat, open: 0 });
			}
			return fail("code_already_used", "You already used this code: scan the next one for another drink.");
		}

		if (storeLimit) {
			const limit = settings.maxOrdersPerUserPerDay;
			if (this.#dailyCount(userId, dayOf(now, settings.timeZone)) >= limit) {
				return fail("order_limit", `You have had your ${limit} ${limit === 1 ? "drink" : "drinks"} for today.`, {
					limit,
				});
			}
		}
		// Counted only while the store sets a budget: a venue's attendees often share a few addresses.
		const budget = network === null ? 0 : settings.drinksPerNetworkPerCode;
		if (network !== null && budget > 0 && this.#codes.takenBy(code, network) >= budget) {
			const drinks = budget === 1 ? "drink" : "drinks";
			return fail("network_limit", `Your network has had this code's ${budget} ${drinks}: wait for the next code.`, {
				limit: budget,
			});
		}
		if (window.tokensLeft <= 0)
			return fail("code_exhausted", "This code's drinks are all taken: wait for the next code.");
		const open = openCount(this.#sql);
		if (open >= settings.capacity) {
			const message = "The baristas have their hands full: try again in a few minutes.";
			return this.#turnAway(record, userId, "at_capacity", message, now);
		}
		return ok({ window, repeat: null, open });
	}

	/**
	 * A walk-up: someone at the counter without a phone, whose drink the barista enters. Staff let them in, so
	 * the order skips the QR code and the daily limit; it still takes a capacity slot, needs the store open,
	 * and must be a drink on the menu.
	 */
	walkUp(record: StoreRecord, body: DrinkChoice, now: number): Result<OrderStart> {
		if (!record.settings.open) return fail("store_closed", `${record.name} is closed right now.`);
		const selection = resolveSelection(record.menu, body);
		if (!selection.ok) return selection;
		if (openCount(this.#sql) >= record.settings.capacity) {
			return fail("at_capacity", "The store holds as many open orders as its capacity: finish one first.");
		}
		return ok(this.#open(record, walkUpUserId, body.name ?? null, dayOf(now, record.settings.timeZone), now, null));
	}

	/**
	 * What an order's end gives back, given its row before and its report: an order that ended without a
	 * drink does not count against the attendee's daily limit (the store's, or its event's, where it was
	 * reserved), and a burst staff ended gives its token back
	 * while the code still runs, so the people at the bar can scan. Returns the code's window if it changed.
	 */
	ended(
		before: Pick<OrderRow, "state" | "user_id" | "day" | "event_id">,
		order: Pick<Order, "id" | "state" | "reason">,
		now: number,
	): CodeWindow | null {
		if (!isOpenState(before.state) || isOpenState(order.state)) return null;
		if (order.state !== "READY" && before.event_id !== null) this.#releases.add(order.id, before.event_id, now);
		else if (order.state !== "READY") {
			this.#sql.exec(
				`UPDATE daily_orders SET count = max(count - 1, 0) WHERE user_id = ? AND day = ?`,
				before.user_id,
				before.day,
			);
		}
		return order.reason === "burst" ? this.#codes.giveBack(order.id, now) : null;
	}

	/** The attendee's counts go (their orders and redemptions are the store's to anonymize). */
	forget(userId: string): void {
		for (const table of ["daily_orders", "scan_attempts"])
			this.#sql.exec(`DELETE FROM ${table} WHERE user_id = ?`, userId);
	}

	/** Drops daily counts from before `before` and scan counts older than a few minutes. */
	prune(now: number, before: number): void {
		this.#sql.exec(`DELETE FROM daily_orders WHERE day < ?`, dayOf(before, "UTC"));
		this.#sql.exec(`DELETE FROM scan_attempts WHERE minute < ?`, Math.floor(now / 60_000) - 5);
	}

	/** A new order's row, holding a capacity slot from now on; its OrderDO is started from what this returns. */
	#open(
		record: StoreRecord,
		userId: string,
		name: string | null,
		day: string,
		now: number,
		reservation: Reservation | null,
	): OrderStart {
		// A reserved drink's order takes the id it was reserved under.
		const orderId = reservation?.orderId ?? crypto.randomUUID();
		const customerDeadline = now + record.settings.customerTimeoutSeconds * 1000;
		this.#sql.exec(
			`INSERT INTO orders (order_id, user_id, name, state, version, day, created_at, customer_deadline, event_id)
			 VALUES (?, ?, ?, 'AWAITING_ORDER', 1, ?, ?, ?, ?)`,
			orderId,
			userId,
			name,
			day,
			now,
			customerDeadline,
			reservation?.eventId ?? null,
		);
		return { orderId, storeId: record.storeId, userId, name, createdAt: now, customerDeadline };
	}

	#dailyCount(userId: string, day: string): number {
		const row = this.#sql
			.exec<{ count: number }>(`SELECT count FROM daily_orders WHERE user_id = ? AND day = ?`, userId, day)
			.toArray()[0];
		return row?.count ?? 0;
	}

	#turnAway(
		record: StoreRecord,
		userId: string,
		reason: "store_closed" | "store_paused" | "at_capacity",
		message: string,
		now: number,
	): Failure {
		this.#outbox.add(
			createEvent("OrderProcessor.ShopUnavailable", { storeId: record.storeId, time: now }, { userId, reason }),
		);
		return fail(reason, message);
	}
}
