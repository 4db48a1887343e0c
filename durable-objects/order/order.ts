import { DurableObject } from "cloudflare:workers";
import { fail, ok, type Result } from "#contract/errors.ts";
import { config } from "#contract/config.ts";
import { backoffSeconds } from "#contract/delivery.ts";
import { createEvent } from "#contract/events.ts";
import { forgottenUserId, type BaristaAction, type Order, type SubmitOrderBody } from "#contract/order.ts";
import { isOpenState } from "#contract/moves.ts";
import { reminderGapMs, type OrderMessage } from "#contract/live.ts";
import { canSee, isOwner, type Actor } from "#contract/actor.ts";
import type { IdempotencyKey, Replayable } from "#contract/idempotency.ts";
import { callerOf, IdempotencyKeys, type Remember } from "../blocks/idempotency";
import { JsonRow } from "../blocks/json-row";
import { Schema } from "../blocks/migrations";
import { orderSchema } from "./schema";
import { Outbox } from "../blocks/outbox";
import { LiveSockets, notAnUpgrade, readActor, refuseUpgrade, send } from "../blocks/sockets";
import type { OrderStart } from "../store/admission";
import type { Submission } from "../store/orders";
import { Timers } from "../blocks/timers";
import { decide, notFound, type Step } from "./workflow";
import { meterDurableObject } from "../../workers/meter";

type TimerKind = "outbox" | "customer" | "barista" | "sync" | "retention";
type StoredOrder = Omit<Order, "position" | "etaSeconds">;

interface OrderRecord {
	order: StoredOrder;
	/** Place in the store's queue and expected seconds to ready, as the store last reported them. */
	position: number | null;
	etaSeconds: number | null;
	/** When the barista's time runs out; kept across an unclaim. */
	baristaDeadline: number | null;
	/** The last order version the store has acknowledged. */
	syncedVersion: number;
	syncFailures: number;
}

const iso = (time: number): string => new Date(time).toISOString();

/**
 * One order's workflow (docs/design.md#workflow): its state machine, its customer and barista timers on the one alarm,
 * and the outbox of its events. Every change is written with its event in one synchronous step, then the
 * events go to the Queue and the change to the StoreDO, both retried from the alarm until they arrive.
 */
export class OrderDO extends DurableObject<Env> {
	#sql: SqlStorage;
	#schema: Schema;
	#timers: Timers<TimerKind>;
	#outbox: Outbox;
	#live: LiveSockets<"order", "order">;
	#record: JsonRow<OrderRecord>;
	#keys: IdempotencyKeys;
	/** Set once a finished order's storage has been cleared: the object then knows nothing. */
	#erased = false;

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env);
		// Counts billable operations for `npm run bench`; does nothing unless the METER var is "on".
		meterDurableObject(this, "OrderDO");
		this.#sql = ctx.storage.sql;
		this.#schema = new Schema(this.#sql, "order", orderSchema);
		this.#record = new JsonRow(this.#sql, "order_record");
		this.#timers = new Timers(ctx.storage);
		this.#outbox = new Outbox(this.#sql, () => this.env.EVENTS, this.#timers);
		this.#live = new LiveSockets(ctx);
		this.#keys = new IdempotencyKeys(this.#sql);
		// If the object stopped between a change and its delivery, deliver it soon after waking.
		const record = this.#load();
		if (!record) return;
		if (this.#outbox.pending > 0) this.#timers.setNoLaterThan("outbox", Date.now() + 1000);
		if (record.syncedVersion < record.order.version) this.#timers.setNoLaterThan("sync", Date.now() + 1000);
	}

	/** Opens the order for an admitted attendee. Repeating it changes nothing. */
	async start(init: OrderStart): Promise<StoredOrder> {
		const existing = this.#load();
		if (existing) return existing.order;
		this.#schema.ensure();
		const order: StoredOrder = {
			id: init.orderId,
			storeId: init.storeId,
			number: null,
			state: "AWAITING_ORDER",
			drink: null,
			options: [],
			name: init.name,
			userId: init.userId,
			baristaId: null,
			baristaName: null,
			reason: null,
			version: 1,
			createdAt: iso(init.createdAt),
			updatedAt: iso(init.createdAt),
			expiresAt: iso(init.customerDeadline),
			queuedAt: null,
			claimedAt: null,
			finishedAt: null,
		};
		// The store already counts version 1; it hears from this object from version 2 on.
		this.#save({ order, position: null, etaSeconds: null, baristaDeadline: null, syncedVersion: 1, syncFailures: 0 });
		this.#timers.set("customer", init.customerDeadline);
		this.#outbox.add(
			createEvent(
				"OrderProcessor.WorkflowStarted",
				{ storeId: order.storeId, orderId: order.id, time: Date.now() },
				{ order },
			),
		);
		this.#outbox.deliver();
		return order;
	}

	async get(actor: Actor): Promise<Result<Order>> {
		const record = this.#load();
		if (!record || !canSee(record.order, actor)) return notFound(this.#idHint(record));
		return ok(view(record));
	}

	/** The store's latest word on this order's place in the queue and its expected wait. */
	async queueUpdate(position: number | null, etaSeconds: number | null): Promise<void> {
		const record = this.#load();
		if (!record || !isOpenState(record.order.state)) return;
		if (record.position === position && record.etaSeconds === etaSeconds) return;
		this.#publish({ ...record, position, etaSeconds });
	}

	/** `GET /api/orders/:id/ws`: the order's attendee (or staff) follows it live. */
	override async fetch(request: Request): Promise<Response> {
		const refused = notAnUpgrade(request);
		if (refused) return refused;
		const actor = readActor(request);
		const record = this.#load();
		if (!actor || !record || !canSee(record.order, actor))
			return refuseUpgrade(404, "order_not_found", "No such order.");
		const { client, server } = this.#live.accept("order", { actor: actor.kind });
		send(server, this.#snapshot(record));
		return new Response(null, { status: 101, webSocket: client });
	}

	override async webSocketMessage(socket: WebSocket, raw: string | ArrayBuffer): Promise<void> {
		this.#live.receive(socket, raw, () => {
			const record = this.#load();
			return record && this.#snapshot(record);
		});
	}

	#snapshot(record: OrderRecord): OrderMessage {
		return { type: "snapshot", channel: "order", version: this.#live.version("order"), order: view(record) };
	}

	/** Saves a change and sends it to the order's sockets as the next version. */
	#publish(record: OrderRecord): void {
		this.#save(record);
		this.#live.broadcast(
			"order",
			["order"],
			(version) => ({ type: "order", version, order: view(record) }) satisfies OrderMessage,
		);
	}

	/** The attendee's drink: checked and numbered by the store, then the order joins the queue. */
	async submit(actor: Actor, body: SubmitOrderBody, idempotency?: IdempotencyKey): Promise<Replayable<Order>> {
		return this.#once(actor, idempotency, (remember) => this.#submit(actor, body, remember));
	}

	async #submit(actor: Actor, body: SubmitOrderBody, remember: Remember<Order>): Promise<Result<Order>> {
		const before = this.#load();
		if (!before) return notFound(this.#idHint(before));
		const decision = decide(before.order, "submit", actor);
		if ("ok" in decision) {
			// A retried submit (flaky Wi-Fi) of the drink already ordered gets the order back, not an error.
			const order = before.order;
			if (
				decision.code === "illegal_transition" &&
				isOwner(order, actor) &&
				order.state === "QUEUED" &&
				order.drink?.id === body.drink
			) {
				return ok(view(before));
			}
			return decision;
		}
		let submission: Result<Submission>;
		try {
			submission = await this.env.STORE.getByName(before.order.storeId).submit(
				before.order.id,
				before.order.userId,
				body,
			);
		} catch (error) {
			console.warn(`order ${before.order.id}: store unreachable on submit (${String(error)})`);
			return fail("unavailable", "The store did not answer: please try again.");
		}
		if (!submission.ok) return submission;

		// The store call awaited: a timer or a cancel may have changed the order meanwhile.
		const record = this.#load()!;
		const step = decide(record.order, "submit", actor);
		if ("ok" in step) return step;
		const { number, drink, options, queuedAt, baristaDeadline, position, etaSeconds } = submission.value;
		const changes = {
			number,
			drink,
			options,
			name: body.name ?? record.order.name,
			queuedAt: iso(queuedAt),
			expiresAt: iso(baristaDeadline),
		};
		return ok(await this.#apply(record, step, queuedAt, changes, { baristaDeadline, position, etaSeconds }, remember));
	}

	/** claim, unclaim, complete or cancel, by a barista (or, for cancel, the attendee). */
	async act(actor: Actor, action: BaristaAction, idempotency?: IdempotencyKey): Promise<Replayable<Order>> {
		return this.#once(actor, idempotency, (remember) => this.#act(actor, action, remember));
	}

	async #act(actor: Actor, action: BaristaAction, remember: Remember<Order>): Promise<Result<Order>> {
		const record = this.#load();
		if (!record) return notFound(this.#idHint(record));
		const step = decide(record.order, action, actor);
		if ("ok" in step) return step;
		const now = Date.now();
		const staff = actor.kind === "staff" ? actor : null;
		switch (action) {
			case "claim":
				return ok(
					await this.#apply(
						record,
						step,
						now,
						{ baristaId: staff?.staffId ?? "admin", baristaName: staff?.name ?? null, claimedAt: iso(now) },
						null,
						remember,
					),
				);
			case "unclaim":
				return ok(
					await this.#apply(record, step, now, { baristaId: null, baristaName: null, claimedAt: null }, null, remember),
				);
			default:
				return ok(await this.#apply(record, step, now, {}, null, remember));
		}
	}

	/**
	 * A barista calls the attendee again for a drink still waiting at the bar: the order stays READY and gets
	 * a new version (the phone and the tablets see it live), and the event wakes the phone through Web Push.
	 */
	async remind(actor: Actor, idempotency?: IdempotencyKey): Promise<Replayable<Order>> {
		return this.#once(actor, idempotency, (remember) => this.#remind(actor, remember));
	}

	async #remind(actor: Actor, remember: Remember<Order>): Promise<Result<Order>> {
		const record = this.#load();
		if (!record) return notFound(this.#idHint(record));
		const step = decide(record.order, "remind", actor);
		if ("ok" in step) return step;
		const now = Date.now();
		const last = record.order.remindedAt ? Date.parse(record.order.remindedAt) : null;
		if (last !== null && now - last < reminderGapMs) {
			const wait = Math.ceil((last + reminderGapMs - now) / 1000);
			return fail(
				"rate_limited",
				`The attendee was called ${Math.floor((now - last) / 1000)} s ago: call again in ${wait} s.`,
				{ retryAfterSeconds: wait },
			);
		}
		const order: StoredOrder = {
			...record.order,
			reminders: (record.order.reminders ?? 0) + 1,
			remindedAt: iso(now),
			version: record.order.version + 1,
			updatedAt: iso(now),
		};
		const next = { ...record, order };
		this.#publish(next);
		this.#outbox.add(createEvent(step.event, { storeId: order.storeId, orderId: order.id, time: now }, { order }));
		const answer = view(next);
		remember(ok(answer));
		this.#outbox.deliver();
		await this.#syncStore();
		return ok(answer);
	}

	/**
	 * The attendee asked to be forgotten: an order not yet being made is cancelled, then the order keeps its
	 * drink and number but loses the attendee's name and id (so their session no longer reaches it).
	 */
	async forget(userId: string): Promise<Result<Order>> {
		const before = this.#load();
		if (!before || before.order.userId !== userId) return notFound(this.#idHint(before));
		const attendee: Actor = { kind: "attendee", userId, name: null };
		if (before.order.state === "AWAITING_ORDER" || before.order.state === "QUEUED") await this.act(attendee, "cancel");
		const record = this.#load()!;
		const now = Date.now();
		const order: StoredOrder = {
			...record.order,
			name: null,
			userId: forgottenUserId,
			version: record.order.version + 1,
			updatedAt: iso(now),
		};
		this.#publish({ ...record, order });
		// Remembered answers carry the order as it was, with the attendee's name and id.
		this.#keys.forget();
		this.#outbox.add(
			createEvent("Privacy.OrderForgotten", { storeId: order.storeId, orderId: order.id, time: now }, { order }),
		);
		this.#outbox.deliver();
		await this.#syncStore();
		return ok(view(this.#load()!));
	}

	/** The store closed and cancels what is still open. Already finished orders are left as they are. */
	async closeByStore(): Promise<Result<Order>> {
		return this.#system("store_closed");
	}

	/** Staff ended a burst this order is part of: cancelled if nobody has chosen its drink yet, else refused. */
	async endBurst(): Promise<Result<Order>> {
		return this.#system("end_burst");
	}

	override async alarm(): Promise<void> {
		if (this.#erased || !this.#schema.ready) return;
		for (const kind of this.#timers.takeDue(Date.now()).kinds) {
			switch (kind) {
				case "customer":
					await this.#system("customer_timeout");
					break;
				case "barista":
					await this.#system("barista_timeout");
					break;
				case "outbox":
					await this.#outbox.flush();
					break;
				case "sync":
					await this.#syncStore();
					break;
				case "retention":
					await this.#erase();
					break;
			}
		}
	}

	/** A transition the system makes; if the order has moved on (a late alarm), nothing happens. */
	async #system(action: "customer_timeout" | "barista_timeout" | "store_closed" | "end_burst"): Promise<Result<Order>> {
		const record = this.#load();
		if (!record) return notFound(this.#idHint(record));
		const step = decide(record.order, action, { kind: "system" });
		if ("ok" in step) return step;
		return ok(await this.#apply(record, step, Date.now(), {}));
	}

	/**
	 * Writes the new state, its event, its timers and (for a keyed request) its answer in one synchronous step
	 * (one atomic SQLite write), shows it on the order's sockets at once, then delivers the event and tells the
	 * store.
	 */
	async #apply(
		record: OrderRecord,
		step: Step,
		now: number,
		changes: Partial<StoredOrder>,
		queue: { baristaDeadline: number; position: number; etaSeconds: number } | null = null,
		remember: Remember<Order> | null = null,
	): Promise<Order> {
		const finished = !isOpenState(step.to);
		const order: StoredOrder = {
			...record.order,
			...changes,
			state: step.to,
			reason: step.reason,
			version: record.order.version + 1,
			updatedAt: iso(now),
			...(finished ? { expiresAt: null, finishedAt: iso(now) } : {}),
		};
		const baristaDeadline = queue?.baristaDeadline ?? record.baristaDeadline;
		// Place and wait are the store's to tell; a new state starts without them until it does.
		const next: OrderRecord = {
			...record,
			order,
			baristaDeadline,
			position: queue?.position ?? null,
			etaSeconds: queue?.etaSeconds ?? null,
		};
		this.#publish(next);
		if (finished) {
			this.#timers.clear("customer", "barista");
			this.#timers.set("retention", now + config(this.env).orderRetentionMs);
		} else if (step.to === "QUEUED" && record.order.state === "AWAITING_ORDER" && baristaDeadline !== null) {
			this.#timers.clear("customer");
			this.#timers.set("barista", baristaDeadline);
		}
		this.#outbox.add(createEvent(step.event, { storeId: order.storeId, orderId: order.id, time: now }, { order }));
		const answer = view(next);
		remember?.(ok(answer));
		this.#outbox.deliver();
		await this.#syncStore();
		return answer;
	}

	/** Reports the latest version to the store (which frees the capacity slot of a finished order). */
	async #syncStore(): Promise<void> {
		const record = this.#load();
		if (!record || record.syncedVersion >= record.order.version) return;
		const version = record.order.version;
		try {
			await this.env.STORE.getByName(record.order.storeId).track(record.order);
		} catch (error) {
			const latest = this.#load()!;
			const failures = latest.syncFailures + 1;
			this.#save({ ...latest, syncFailures: failures });
			const delay = backoffSeconds(failures) * 1000;
			console.warn(`order ${record.order.id}: store unreachable (${String(error)}); retry in ${delay / 1000}s`);
			this.#timers.set("sync", Date.now() + delay);
			return;
		}
		const latest = this.#load()!;
		if (latest.syncedVersion < version) this.#save({ ...latest, syncedVersion: version, syncFailures: 0 });
		// A newer change may have landed while the store was being told; it carries its own sync.
	}

	/**
	 * Clears a finished order's storage once its retention period is over and D1 holds its final version
	 * (the read model answers for it from then on). Until both hold, it tries again later.
	 */
	async #erase(): Promise<void> {
		const record = this.#load();
		if (!record || isOpenState(record.order.state)) return;
		const delivered = this.#outbox.pending === 0 && record.syncedVersion >= record.order.version;
		// The one read of D1 by this object: its own record, to know the archive holds it before forgetting it.
		const archived = delivered
			? await this.env.DB.prepare(`SELECT version FROM orders WHERE id = ?`)
					.bind(record.order.id)
					.first<{ version: number }>()
			: null;
		if (!archived || archived.version < record.order.version) {
			this.#timers.set("retention", Date.now() + 3_600_000);
			return;
		}
		for (const socket of this.ctx.getWebSockets()) socket.close(1000, "order archived");
		this.#erased = true;
		await this.ctx.storage.deleteAll();
		this.#schema.forget();
	}

	/** A write by `actor`, once per Idempotency-Key. An order that is not here keeps no records: it is not found, whatever the key. */
	async #once(
		actor: Actor,
		idempotency: IdempotencyKey | undefined,
		write: (remember: Remember<Order>) => Promise<Result<Order>>,
	): Promise<Replayable<Order>> {
		if (!this.#load()) return notFound(this.#idHint(null));
		return this.#keys.run(callerOf(actor), idempotency, write);
	}

	/** The order, or null if it never started or was erased (then nothing else is read either). */
	#load(): OrderRecord | null {
		return this.#erased || !this.#schema.ready ? null : this.#record.get();
	}

	#save(record: OrderRecord): void {
		this.#record.set(record);
	}

	#idHint(record: OrderRecord | null): string {
		return record?.order.id ?? this.ctx.id.name ?? "";
	}
}

/** The order as clients see it: with its place in the queue and expected wait while they are known. */
function view(record: OrderRecord): Order {
	return {
		...record.order,
		// Records written before places were tracked have neither field.
		...(record.position != null ? { position: record.position } : {}),
		...(record.etaSeconds != null ? { etaSeconds: record.etaSeconds } : {}),
	};
}
