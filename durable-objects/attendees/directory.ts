import { DurableObject } from "cloudflare:workers";
import { meterDurableObject } from "../../workers/meter";
import { Schema } from "../blocks/migrations";
import { Timers } from "../blocks/timers";
import { directorySchema } from "./schema";

/**
 * Which stores admitted each attendee, known without D1: "forget me" must reach an order placed a moment
 * ago, before the event consumer has projected it (or while the consumer is failing). The StoreDO records
 * an admission here before the scan answers (retrying with the order's start), so every order an attendee
 * knows of is findable from their id alone.
 *
 * Sharded by a hash of the user id (`attendeeDirectory`), so no one object takes every admission. A row is
 * one small write per admission; it is kept as long as the store keeps the attendee's orders, after which
 * D1 knows them.
 */
export class AttendeeDirectoryDO extends DurableObject<Env> {
	#sql: SqlStorage;
	#schema: Schema;
	#timers: Timers<"prune">;

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env);
		meterDurableObject(this, "AttendeeDirectoryDO");
		this.#sql = ctx.storage.sql;
		this.#schema = new Schema(this.#sql, "attendees", directorySchema);
		this.#timers = new Timers(ctx.storage);
	}

	/** The store admitted the attendee (again): one upsert. */
	async record(userId: string, storeId: string): Promise<void> {
		this.#schema.ensure();
		this.#sql.exec(
			`INSERT INTO attendee_stores (user_id, store_id, admitted_at) VALUES (?, ?, ?)
			 ON CONFLICT (user_id, store_id) DO UPDATE SET admitted_at = excluded.admitted_at`,
			userId,
			storeId,
			Date.now(),
		);
		if (this.#timers.get("prune") === null) this.#timers.set("prune", Date.now() + pruneEveryMs);
	}

	/** The stores that admitted the attendee recently enough to still hold their orders. */
	async storesOf(userId: string): Promise<string[]> {
		if (!this.#schema.ready) return [];
		return this.#sql
			.exec<{ store_id: string }>(`SELECT store_id FROM attendee_stores WHERE user_id = ?`, userId)
			.toArray()
			.map((r) => r.store_id);
	}

	/** The attendee was forgotten: their rows go. */
	async forget(userId: string): Promise<void> {
		if (!this.#schema.ready) return;
		this.#sql.exec(`DELETE FROM attendee_stores WHERE user_id = ?`, userId);
	}

	override async alarm(): Promise<void> {
		if (!this.#schema.ready) return;
		if (!this.#timers.takeDue(Date.now()).kinds.includes("prune")) return;
		this.#sql.exec(`DELETE FROM attendee_stores WHERE admitted_at < ?`, Date.now() - keepMs);
		const left = this.#sql.exec<{ n: number }>(`SELECT count(*) AS n FROM attendee_stores`).one().n;
		if (left > 0) this.#timers.set("prune", Date.now() + pruneEveryMs);
	}
}

const dayMs = 86_400_000;
/** A store keeps an attendee's finished orders for two days (store.ts `keepMs`); a day more covers the longest order. */
const keepMs = 3 * dayMs;
const pruneEveryMs = dayMs;

/** Never change: an attendee's rows are found by the shard their id hashes to. */
const shards = 64;

/** The directory shard that knows this attendee: FNV-1a of the user id, over `shards` objects. */
export function attendeeDirectory(env: Pick<Env, "ATTENDEES">, userId: string): DurableObjectStub<AttendeeDirectoryDO> {
	let hash = 0x811c9dc5;
	for (let i = 0; i < userId.length; i++) hash = Math.imul(hash ^ userId.charCodeAt(i), 0x01000193);
	return env.ATTENDEES.getByName(`attendees-${(hash >>> 0) % shards}`);
}
