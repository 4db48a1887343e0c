import { DurableObject } from "cloudflare:workers";
import { fail, ok, type Failure, type Result } from "#contract/errors.ts";
import type { PutVenueEventBody, VenueEventView } from "#contract/venue-event.ts";
import { meterDurableObject } from "../../workers/meter";
import { JsonRow } from "../blocks/json-row";
import { Schema } from "../blocks/migrations";
import { Timers } from "../blocks/timers";
import { dayOf } from "../store/admission";
import { venueEventSchema, type VenueEventRecord } from "./schema";

const dayMs = 86_400_000;
/** Reservations are kept two days (an order's day ends within one), then pruned. */
const keepMs = 2 * dayMs;

/**
 * One venue event: its name, time zone and bars, and the one place its per-attendee daily limit is counted.
 * Each bar's StoreDO admits on its own, then reserves the drink here (`reserve`): the check and the write are
 * one synchronous stretch on this object's SQLite, so two bars racing for an attendee's last drink cannot both
 * get it. A reservation is per order, so giving one back (`release`) is safe to repeat.
 */
export class VenueEventDO extends DurableObject<Env> {
	#sql: SqlStorage;
	#schema: Schema;
	#record: JsonRow<VenueEventRecord>;
	#timers: Timers<"prune">;

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env);
		meterDurableObject(this, "VenueEventDO");
		this.#sql = ctx.storage.sql;
		this.#schema = new Schema(this.#sql, "venue_event", venueEventSchema);
		this.#record = new JsonRow(this.#sql, "venue_event");
		this.#timers = new Timers(ctx.storage);
	}

	/** Creates the event, or changes its name, time zone and limit (a new limit counts today's drinks already had). */
	async put(eventId: string, body: PutVenueEventBody): Promise<VenueEventView> {
		this.#schema.ensure();
		const now = Date.now();
		const before = this.#load();
		const record: VenueEventRecord = before
			? { ...before, ...body, updatedAt: now }
			: { eventId, ...body, stores: [], createdAt: now, updatedAt: now };
		this.#record.set(record);
		if (this.#timers.get("prune") === null) this.#timers.set("prune", now + dayMs);
		return view(record);
	}

	async view(): Promise<Result<VenueEventView>> {
		const record = this.#load();
		return record ? ok(view(record)) : missing();
	}

	/** The store joins the event's bars (again: nothing changes). */
	async addStore(storeId: string): Promise<Result<VenueEventView>> {
		const record = this.#load();
		if (!record) return missing();
		if (record.stores.includes(storeId)) return ok(view(record));
		const next = { ...record, stores: [...record.stores, storeId], updatedAt: Date.now() };
		this.#record.set(next);
		return ok(view(next));
	}

	/** The store leaves the event's bars; its open orders' reservations stay until they end. */
	async removeStore(storeId: string): Promise<Result<VenueEventView>> {
		const record = this.#load();
		if (!record) return missing();
		const next = { ...record, stores: record.stores.filter((id) => id !== storeId), updatedAt: Date.now() };
		this.#record.set(next);
		return ok(view(next));
	}

	/**
	 * Counts one drink of the attendee's day (in the event's time zone) for `orderId`, unless they have had
	 * the event's limit: the whole check-and-write is synchronous. Reserving the same order again changes nothing.
	 */
	async reserve(userId: string, orderId: string, storeId: string, now: number): Promise<Result<{ day: string }>> {
		const record = this.#load();
		if (!record) return missing();
		const day = dayOf(now, record.timeZone);
		const known = this.#sql
			.exec<{ day: string }>(`SELECT day FROM reservations WHERE order_id = ?`, orderId)
			.toArray()[0];
		if (known) return ok({ day: known.day });
		const had = this.#sql
			.exec<{ n: number }>(`SELECT count(*) AS n FROM reservations WHERE user_id = ? AND day = ?`, userId, day)
			.one().n;
		const limit = record.dailyLimit;
		if (had >= limit) {
			const drinks = limit === 1 ? "drink" : "drinks";
			return fail("order_limit", `You have had your ${limit} ${drinks} for today at ${record.name}.`, {
				limit,
				event: record.eventId,
			});
		}
		this.#sql.exec(
			`INSERT INTO reservations (order_id, user_id, day, store_id, reserved_at) VALUES (?, ?, ?, ?, ?)`,
			orderId,
			userId,
			day,
			storeId,
			now,
		);
		return ok({ day });
	}

	/** Orders that ended without a drink (or were never admitted) give their drink back. */
	async release(orderIds: string[]): Promise<void> {
		if (!this.#schema.ready) return;
		for (const id of orderIds) this.#sql.exec(`DELETE FROM reservations WHERE order_id = ?`, id);
	}

	/** Drinks the attendee has reserved on `day`: for tests and the audit. */
	async reserved(userId: string, day: string): Promise<string[]> {
		if (!this.#schema.ready) return [];
		return this.#sql
			.exec<{ order_id: string }>(`SELECT order_id FROM reservations WHERE user_id = ? AND day = ?`, userId, day)
			.toArray()
			.map((r) => r.order_id);
	}

	/** "Forget me": the attendee's counts go. */
	async forget(userId: string): Promise<void> {
		if (!this.#schema.ready) return;
		this.#sql.exec(`DELETE FROM reservations WHERE user_id = ?`, userId);
	}

	override async alarm(): Promise<void> {
		if (!this.#schema.ready) return;
		const { kinds, at } = this.#timers.takeDue(Date.now());
		if (!kinds.includes("prune")) return;
		this.#sql.exec(`DELETE FROM reservations WHERE reserved_at < ?`, at - keepMs);
		this.#timers.set("prune", at + dayMs);
	}

	#load(): VenueEventRecord | null {
		return this.#schema.ready ? this.#record.get() : null;
	}
}

function view(record: VenueEventRecord): VenueEventView {
	const { eventId: id, name, timeZone, dailyLimit, stores } = record;
	return { id, name, timeZone, dailyLimit, stores, updatedAt: new Date(record.updatedAt).toISOString() };
}

function missing(): Failure {
	return fail("venue_event_not_found", "No such event.");
}
