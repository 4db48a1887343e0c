import { DurableObject } from "cloudflare:workers";
import { isAdminOf, isStaffOf, type Actor, type StaffRole } from "#contract/actor.ts";
import { burstOf } from "#contract/bursts.ts";
import { config } from "#contract/config.ts";
import type { IdempotencyKey, Replayable } from "#contract/idempotency.ts";
import { fail, ok, type Failure, type Result } from "#contract/errors.ts";
import type { DrinkChoice, Order, ScanResult } from "#contract/order.ts";
import type { Lockout, SignInClient } from "#contract/sign-in.ts";
import type { CreateStoreBody, PatchStoreBody, Region, StoreView } from "#contract/store.ts";
import type { BarWait } from "#contract/venue-event.ts";
import { meterDurableObject } from "../../workers/meter";
import { callerOf, IdempotencyKeys, type KeyedWrite } from "../blocks/idempotency";
import { JsonRow } from "../blocks/json-row";
import { Schema } from "../blocks/migrations";
import { Outbox } from "../blocks/outbox";
import { Timers } from "../blocks/timers";
import { Admission, type OrderStart, type Reservation } from "./admission";
import { EventReleases } from "./event-releases";
import { OrderCalls } from "./order-calls";
import { StoreOrders, type StoreAudit, type Submission } from "./orders";
import { CodeBook, type CodeWindow } from "./qr";
import { QueuePlaces } from "./queue-places";
import { RobotBarista } from "./robot-barista";
import { storeSchema, type StoreRecord } from "./schema";
import { Screens } from "./screens";
import { configChanged, hashNewPins, mayChange, merge, newStore, publicView } from "./settings";
import { SignIn, type SignedIn } from "./sign-in";

/** Routes create a store's object with its region as the location hint. */
export { placement } from "./placement";

type TimerKind = "outbox" | "start_orders" | "close_orders" | "prune" | "rotate" | "robot" | "queue" | "event_releases";

const dayMs = 86_400_000;
/** Finished orders and ended codes are kept this long (for repeat scans and recent prep times), then pruned. */
const keepMs = 2 * dayMs;
/** How often, at most, queued orders are told their place and wait. */
const queueRefreshMs = 1000;

/**
 * One store: settings, menu, QR windows and tokens, capacity, order numbers, the per-attendee daily limit. Every
 * check-and-write runs synchronously on its SQLite (admission.ts), so no concurrency oversells a token or a slot.
 * This class is the RPC surface: which synchronous stretch writes what, and the alarm; concerns live beside it.
 */
export class StoreDO extends DurableObject<Env> {
	#schema: Schema;
	#timers: Timers<TimerKind>;
	#outbox: Outbox;
	#codes: CodeBook;
	#admission: Admission;
	#orders: StoreOrders;
	#screens: Screens;
	#queue: QueuePlaces;
	#robot: RobotBarista;
	#record: JsonRow<StoreRecord>;
	#keys: IdempotencyKeys;
	#signIn: SignIn;
	#calls: OrderCalls;
	#releases: EventReleases;

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env);
		// Counts billable operations for `npm run bench`; does nothing unless the METER var is "on".
		meterDurableObject(this, "StoreDO");
		const sql = ctx.storage.sql;
		this.#schema = new Schema(sql, "store", storeSchema);
		this.#record = new JsonRow(sql, "store");
		this.#timers = new Timers(ctx.storage);
		this.#outbox = new Outbox(sql, () => this.env.EVENTS, this.#timers);
		this.#codes = new CodeBook(sql);
		this.#releases = new EventReleases(sql, this.#timers, (id) => this.env.VENUE_EVENTS.getByName(id));
		this.#admission = new Admission(sql, this.#codes, this.#outbox, this.#releases);
		this.#orders = new StoreOrders(sql);
		this.#screens = new Screens(
			ctx,
			this.#codes,
			this.#timers,
			() => this.#load(),
			(record) => this.#view(record),
		);
		this.#queue = new QueuePlaces(sql, (id) => this.env.ORDER.getByName(id));
		this.#robot = new RobotBarista(sql, this.#timers, (id) => this.env.ORDER.getByName(id));
		this.#keys = new IdempotencyKeys(sql);
		this.#signIn = new SignIn(sql, () => this.#load());
		this.#calls = new OrderCalls(
			() => this.env,
			this.#orders,
			this.#timers,
			this.#screens,
			() => this.#load()?.settings.region,
		);
	}

	// ---- store settings ---------------------------------------------------------------------------------

	/** A new store; `placedIn` is the location hint the caller reached this object with (placement.ts). */
	async create(input: CreateStoreBody, placedIn: Region | null): Promise<Result<StoreView>> {
		const exists = () => fail("store_exists", `A store with id '${input.id}' already exists.`);
		if (this.#load()) return exists();
		const now = Date.now();
		const record = { ...(await newStore(input, now)), placedIn };
		// The hashing awaited: a concurrent create may have won meanwhile.
		if (this.#load()) return exists();
		this.#schema.ensure();
		this.#record.set(record);
		this.#outbox.add(configChanged(record, ["created"], now));
		this.#timers.set("prune", now + dayMs);
		this.#outbox.deliver();
		return ok(this.#view(record));
	}

	async view(): Promise<Result<StoreView>> {
		return this.#found((record) => ok(this.#view(record)));
	}

	async patch(actor: Actor, body: PatchStoreBody, idempotency?: IdempotencyKey): Promise<Replayable<StoreView>> {
		return this.#once(callerOf(actor), idempotency, async (remember) => {
			const before = this.#load()!;
			const refused = mayChange(actor, before.storeId, body);
			if (refused) return refused;
			// Hash new PINs first: everything after this line runs without an await, so no other change interleaves.
			const pinHashes = await hashNewPins(body, before.pins.salt);
			const now = Date.now();
			const merged = merge(this.#load()!, body, pinHashes, now);
			if (!merged.ok) return merged;
			const next = merged.value;
			this.#record.set(next);
			const newCodes = body.drinksPerCode !== undefined || body.codeWindowSeconds !== undefined;
			// A new window length or token count takes effect with a fresh code, not halfway through one.
			if (newCodes) this.#codes.endCurrent(now);
			if (body.cancelOpenOrders) this.#orders.closeOpen();
			this.#outbox.add(configChanged(next, Object.keys(body), now));
			remember(ok(this.#view(next)));
			this.#screens.store(next);
			if (next.settings.robotBarista) this.#robot.wake(now);
			if (body.open !== undefined || newCodes) this.#screens.qr(next.settings.open ? this.#screens.window(now) : null);
			this.#outbox.deliver();
			if (body.cancelOpenOrders) await this.#calls.cancelClosing();
			return ok(this.#view(this.#load()!));
		});
	}

	/** Checks a staff PIN; the role it opens and the PIN version go into the staff session. */
	async signIn(pin: string, client: SignInClient): Promise<Result<SignedIn<StaffRole>>> {
		return this.#found((record) => this.#signIn.staff(record, pin, client));
	}

	/** Checks the display PIN, which signs the store's big screen in (and nothing else), counted as `signIn`. */
	async signInDisplay(pin: string, client: SignInClient): Promise<Result<{ pinVersion: number; storeId: string }>> {
		return this.#found((record) => this.#signIn.display(record, pin, client));
	}

	/** A one-time code a barista gives a display to sign in with, valid for a few minutes. */
	async pairDisplay(actor: Actor): Promise<Result<{ code: string; expiresAt: string }>> {
		const record = this.#allowed(actor, isStaffOf, "Only this store's staff can pair a display.");
		return record.ok ? ok(this.#signIn.pair(Date.now())) : record;
	}

	/** Signs a display in with a pairing code; a wrong code counts against the client like a wrong PIN. */
	async redeemPairing(code: string, client: SignInClient): Promise<Result<{ pinVersion: number; storeId: string }>> {
		return this.#found((record) => this.#signIn.redeem(record, code, client, Date.now()));
	}

	/** The sign-in locks in force (a store admin's view). */
	async lockouts(actor: Actor): Promise<Result<Lockout[]>> {
		const record = this.#allowed(actor, isAdminOf, "Only an admin of this store can see its sign-in locks.");
		return record.ok ? ok(this.#signIn.lockouts(Date.now())) : record;
	}

	/** Clears every sign-in lock and count (an admin letting staff back in during an attack). */
	async clearLockouts(actor: Actor): Promise<Result<{ cleared: number }>> {
		const record = this.#allowed(actor, isAdminOf, "Only an admin of this store can clear its sign-in locks.");
		return record.ok ? ok({ cleared: this.#signIn.clear(Date.now()) }) : record;
	}

	/** Signs every staff session out (a lost tablet, a barista who left), without changing the PINs. */
	async revokeStaffSessions(actor: Actor): Promise<Result<{ pinVersion: number }>> {
		const record = this.#allowed(actor, isAdminOf, "Only an admin of this store can sign staff out.");
		if (!record.ok) return record;
		const pins = { ...record.value.pins, version: record.value.pins.version + 1 };
		this.#record.set({ ...record.value, pins });
		return ok({ pinVersion: pins.version });
	}

	/** The PIN version staff sessions must carry to stay valid. */
	async pinVersion(): Promise<number | null> {
		return this.#load()?.pins.version ?? null;
	}

	// ---- QR codes, admission and orders -----------------------------------------------------------------

	async qr(): Promise<Result<CodeWindow>> {
		return this.#load() ? ok(this.#screens.window(Date.now())) : missing();
	}

	/**
	 * Redeems a QR code for an attendee (Admission.scan); a repeat scan gets the order it already opened. At a
	 * store in a venue event, a fresh admission first reserves the drink at the event's object: one call.
	 */
	async scan(
		userId: string,
		name: string | null,
		code: string,
		network: string | null,
		idempotency?: IdempotencyKey,
	): Promise<Replayable<ScanResult & { created: boolean }>> {
		return this.#once(callerOf({ kind: "attendee", userId, name }), idempotency, async (remember) => {
			let reservation: Reservation | null | undefined;
			const { eventId } = this.#load()!;
			if (eventId !== undefined) {
				const reserved = await this.#reserve(eventId, userId, code, network);
				if (!reserved.ok) return this.#refused(reserved);
				reservation = reserved.value;
			}
			const admitted = this.#admission.scan(this.#load()!, userId, name, code, network, Date.now(), reservation);
			if (!admitted.ok) return this.#refused(admitted);
			const { start, created } = admitted.value;
			const answer = ok({ orderId: start.orderId, expiresAt: new Date(start.customerDeadline).toISOString(), created });
			if (created) {
				remember(answer);
				if (this.#screens.watched) this.#screens.qr(this.#codes.find(code)!);
				this.#outbox.deliver();
				await this.#calls.start(start);
			}
			return answer;
		});
	}

	/**
	 * A scan's checks, then the drink reserved at the event for a new order's id (null for a repeat scan, which
	 * needs none). A call that fails may still have reserved: that reservation is queued to be given back.
	 */
	async #reserve(
		eventId: string,
		userId: string,
		code: string,
		network: string | null,
	): Promise<Result<Reservation | null>> {
		const now = Date.now();
		const checked = this.#admission.precheck(this.#load()!, userId, code, network, now);
		if (!checked.ok || !checked.value.fresh) return checked.ok ? ok(null) : checked;
		const orderId = crypto.randomUUID();
		try {
			const event = this.env.VENUE_EVENTS.getByName(eventId);
			const reserved: Result<{ day: string }> = await event.reserve(userId, orderId, this.#load()!.storeId, now);
			return reserved.ok ? ok({ eventId, orderId, day: reserved.value.day }) : reserved;
		} catch (error) {
			console.warn(`store: could not reserve at event ${eventId} (${String(error)})`);
			this.#releases.add(orderId, eventId, Date.now());
			return fail("unavailable", "The bar could not check your drinks for today: scan again in a moment.");
		}
	}

	/** A scan's refusal, after sending any event it recorded (a turn-away). */
	#refused(refusal: Failure): Failure {
		if (this.#outbox.pending > 0) this.#outbox.deliver();
		return refusal;
	}

	/** A walk-up (Admission.walkUp); the caller then submits its drink to the order with the same Idempotency-Key. */
	async walkUp(staff: Actor, body: DrinkChoice, idempotency?: IdempotencyKey): Promise<Replayable<OrderStart>> {
		return this.#once(callerOf(staff), idempotency, async (remember) => {
			const start = this.#admission.walkUp(this.#load()!, body, Date.now());
			if (!start.ok) return start;
			remember(start);
			await this.#calls.start(start.value);
			return start;
		});
	}

	/** Accepts an attendee's drink for an admitted order: checks it against the menu and gives it a number. */
	async submit(orderId: string, userId: string, body: DrinkChoice): Promise<Result<Submission>> {
		const record = this.#load();
		if (!record) return missing();
		const now = Date.now();
		const submitted = this.#orders.submit(record, orderId, userId, body, () => this.#queue.joining(now), now);
		if (!submitted.ok) return submitted;
		this.#record.set({ ...record, nextNumber: submitted.value.number + 1 });
		this.#screens.numbered(this.#orders.row(orderId)!);
		return submitted;
	}

	/** Every change of an order, from its OrderDO; repeated or reordered reports change nothing (StoreOrders.record). */
	async track(order: Order): Promise<void> {
		if (!this.#schema.ready) return;
		const row = this.#orders.record(order);
		if (!row) return;
		this.#screens.order(row, order);
		// Places and waits at most once a second: telling every queued order on every change costs a call each.
		this.#timers.setNoLaterThan("queue", Date.now() + queueRefreshMs);
		if (order.state === "QUEUED" && this.#load()?.settings.robotBarista) this.#robot.wake(Date.now());
		const window = this.#admission.ended(row, order, Date.now());
		if (window) this.#screens.qr(window);
	}

	/** Staff end a burst: of `orderIds` (their tablet's), those in a burst now (contract/bursts.ts) are cancelled. */
	async endBurst(actor: Actor, orderIds: string[]): Promise<Result<{ ended: number; kept: number }>> {
		const record = this.#allowed(actor, isStaffOf, "Only this store's staff can end a burst.");
		if (!record.ok) return record;
		return ok(await this.#calls.endBurst(burstOf(this.#orders.waiting(), Date.now()), orderIds));
	}

	/** The orders this store holds for an attendee (including ones too new for the read model). */
	async ordersOf(userId: string): Promise<string[]> {
		return this.#schema.ready ? this.#orders.of(userId) : [];
	}

	/**
	 * Forgets an attendee here, after their orders have (so no later report brings the name back). Returns the
	 * venue events that may count their drinks (the store's and those their orders here were reserved at).
	 */
	async forget(userId: string): Promise<string[]> {
		if (!this.#schema.ready) return [];
		const events = new Set(this.#orders.eventsOf(userId));
		const { eventId } = this.#load()!;
		if (eventId !== undefined) events.add(eventId);
		this.#orders.forget(userId);
		this.#admission.forget(userId);
		this.#keys.forget(callerOf({ kind: "attendee", userId, name: null }));
		return [...events];
	}

	// ---- venue events -----------------------------------------------------------------------------------

	/** The store becomes one of the event's bars; a store in another event must leave it first. */
	async joinEvent(eventId: string): Promise<Result<StoreView>> {
		return this.#found((record) => {
			if (record.eventId === undefined) return ok(this.#setEvent(record, eventId));
			if (record.eventId === eventId) return ok(this.#view(record));
			const message = `The store is one of the bars of '${record.eventId}': take it out of that event first.`;
			return fail("store_in_other_event", message, { event: record.eventId });
		});
	}

	/** The store leaves the event (if it is in it); its open orders still give their drinks back to it. */
	async leaveEvent(eventId: string): Promise<Result<StoreView>> {
		return this.#found((record) =>
			ok(record.eventId === eventId ? this.#setEvent(record, undefined) : this.#view(record)),
		);
	}

	#setEvent(record: StoreRecord, eventId: string | undefined): StoreView {
		const now = Date.now();
		const { eventId: _left, ...rest } = record;
		const next: StoreRecord = { ...rest, ...(eventId && { eventId }), version: record.version + 1, updatedAt: now };
		this.#record.set(next);
		this.#outbox.add(configChanged(next, ["event"], now));
		this.#screens.store(next);
		this.#outbox.deliver();
		return this.#view(next);
	}

	/** The store's own books, for invariant checks (StoreOrders.audit). */
	async audit(): Promise<StoreAudit> {
		if (!this.#schema.ready) return { openOrders: 0, capacity: 0, byState: {}, codes: [], orders: [] };
		return this.#orders.audit(this.#load()?.settings.capacity ?? 0);
	}

	/** What an event's board shows of the store: its queue, and the wait of an order joining it now (eta.ts). */
	async waitNow(): Promise<Result<BarWait>> {
		return this.#found((record) => {
			const { position, etaSeconds } = this.#queue.joining(Date.now());
			const open = record.settings.open && !record.settings.paused;
			return ok({ id: record.storeId, name: record.name, open, queued: position - 1, waitSeconds: etaSeconds });
		});
	}

	/** Orders holding a capacity slot right now. */
	async openOrders(): Promise<number> {
		return this.#schema.ready ? this.#orders.open : 0;
	}

	// ---- alarm and sockets ------------------------------------------------------------------------------

	override async alarm(): Promise<void> {
		if (!this.#schema.ready) return;
		const { kinds, at } = this.#timers.takeDue(Date.now());
		for (const kind of kinds) await this.#due(kind, at);
	}

	/** One due timer, `at` the time the alarm was due; the store is read afresh, as the timer before may have awaited. */
	#due(kind: TimerKind, at: number): Promise<void> | void {
		const { storeId, settings } = this.#load()!;
		switch (kind) {
			case "outbox":
				return this.#outbox.flush();
			case "start_orders":
				return this.#calls.startPending(storeId);
			case "close_orders":
				return this.#calls.cancelClosing();
			case "prune":
				// As of when it was due (the alarm's time), so the next one is a day after it.
				this.#codes.prune(at - keepMs);
				this.#orders.prune(at - keepMs);
				this.#admission.prune(at, at - keepMs);
				this.#keys.prune(at);
				this.#signIn.prune(at);
				return this.#timers.set("prune", at + dayMs);
			case "rotate":
				return this.#screens.rotate(Date.now());
			case "robot":
				return settings.robotBarista ? this.#robot.step(at, storeId, settings.robotSecondsPerDrink) : undefined;
			case "queue":
				return this.#queue.refresh(Date.now());
			case "event_releases":
				return this.#releases.flush();
		}
	}

	/** `GET /api/stores/:store/ws`: a board, the display, or a staff tablet (Screens.accept). */
	override async fetch(request: Request): Promise<Response> {
		return this.#screens.accept(request, config(this.env).boardSocketsPerNetwork);
	}

	override async webSocketMessage(socket: WebSocket, raw: string | ArrayBuffer): Promise<void> {
		this.#screens.receive(socket, raw);
	}

	/** The store, or null if it was never created (then nothing else is read either). */
	#load(): StoreRecord | null {
		return this.#schema.ready ? this.#record.get() : null;
	}

	/** `use` of the store, or store_not_found. */
	#found<T>(use: (record: StoreRecord) => T | Failure): T | Failure {
		const record = this.#load();
		return record ? use(record) : missing();
	}

	/** The store, if `actor` may act on it by `may`. */
	#allowed(actor: Actor, may: (actor: Actor, storeId: string) => boolean, message: string): Result<StoreRecord> {
		return this.#found((record) => (may(actor, record.storeId) ? ok(record) : fail("forbidden", message)));
	}

	/** A write by `caller`, once per Idempotency-Key. A store that does not exist keeps no records, whatever the key. */
	async #once<T>(caller: string, key: IdempotencyKey | undefined, write: KeyedWrite<T>): Promise<Replayable<T>> {
		return this.#load() ? this.#keys.run(caller, key, write) : missing();
	}

	#view(record: StoreRecord): StoreView {
		return { ...publicView(record), openOrders: this.#orders.open };
	}
}

function missing(): Failure {
	return fail("store_not_found", "No such store.");
}
