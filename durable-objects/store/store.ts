import { DurableObject } from "cloudflare:workers";
import { errorStatus, fail, ok, type Failure, type Result } from "../../workers/contract/errors";
import { createEvent } from "../../workers/contract/events";
import {
	finishedInStaffViewMs,
	readyOnBoardMs,
	type Board,
	type BoardMessage,
	type BoardTicket,
	type StaffMessage,
	type StaffView,
	type StoreRole,
} from "../../workers/contract/live";
import { forgottenUserId, isOpenState, walkUpUserId, type Order, type OrderState, type ScanResult, type SubmitOrderBody } from "../../workers/contract/order";
import { burstOf } from "../../workers/contract/bursts";
import { resolveSelection, type Selection } from "../../workers/contract/selection";
import type { Lockout } from "../../workers/contract/sign-in";
import { Menu, Settings, type CreateStoreBody, type PatchStoreBody, type StoreView, baristaSettingsKeys, defaultMenu } from "../../workers/contract/store";
import { meterDurableObject } from "../../workers/meter";
import { isAdminOf, isStaffOf, type Actor, type StaffRole } from "../../workers/contract/actor";
import { attendeeDirectory } from "../attendee-directory";
import { applyAvailability } from "./availability";
import { boardQr, boardStore, orderOf, publicRoles, qrView, socketRole, staffRoles, ticketOf, type SocketFacts } from "./board";
import { callerOf, IdempotencyKeys, keyRetentionMs, type IdempotencyKey, type Remember, type Replayable } from "../blocks/idempotency";
import { JsonRow } from "../blocks/json-row";
import { Schema } from "../blocks/migrations";
import { Outbox } from "../blocks/outbox";
import { DisplayPairings } from "./pairing";
import { PinGuard, type SignInClient } from "./pin-guard";
import { hashPin, newSalt, sameSecret, type PinHashes } from "./pins";
import { CodeBook, codeShape, type CodeWindow } from "./qr";
import { QueuePlaces } from "./queue-places";
import { RobotBarista } from "./robot-barista";
import { LiveSockets, networkHeader, originHeader, readActor, refuseUpgrade, send } from "../blocks/sockets";
import { openStateList, storeSchema, type OrderRow, type StoreRecord } from "./schema";
import { Timers } from "../blocks/timers";

type TimerKind = "outbox" | "start_orders" | "close_orders" | "prune" | "rotate" | "robot" | "queue";
type Audience = "public" | "staff";


/** What the store needs to start an order's workflow in its OrderDO. */
export interface OrderStart {
	orderId: string;
	storeId: string;
	userId: string;
	name: string | null;
	createdAt: number;
	customerDeadline: number;
}

export interface StoreAudit {
	openOrders: number;
	capacity: number;
	byState: Record<string, number>;
	codes: { code: string; total: number; left: number; redeemed: number }[];
	orders: { id: string; state: OrderState; version: number }[];
}

export interface Submission extends Selection {
	number: number;
	queuedAt: number;
	baristaDeadline: number;
	position: number;
	etaSeconds: number;
}

const dayMs = 86_400_000;
/** Finished orders and ended codes are kept this long (for repeat scans and recent prep times), then pruned. */
const keepMs = 2 * dayMs;

/** Formatters by time zone: building one costs more than the rest of a scan's checks. */
const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar day of `time` in a store's time zone, as YYYY-MM-DD. */
function dayOf(time: number, timeZone: string): string {
	let format = dayFormats.get(timeZone);
	if (!format) {
		format = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
		dayFormats.set(timeZone, format);
	}
	return format.format(time);
}

/** Exact per-store limits (the coarse ones are in the Worker). */
const scanAttemptsPerMinute = 12;
/** How often, at most, queued orders are told their place and wait. */
const queueRefreshMs = 1000;

/**
 * One store: its settings and menu, the QR windows and their tokens, its capacity, its order numbers and
 * the per-attendee daily limit. Every check-and-write runs synchronously on the store's SQLite, so no
 * concurrency can oversell a token or a capacity slot.
 */
export class StoreDO extends DurableObject<Env> {
	#sql: SqlStorage;
	#schema: Schema;
	#timers: Timers<TimerKind>;
	#outbox: Outbox;
	#codes: CodeBook;
	#live: LiveSockets<Audience, StoreRole>;
	#queue: QueuePlaces;
	#robot: RobotBarista;
	#record: JsonRow<StoreRecord>;
	#keys: IdempotencyKeys;
	#pins: PinGuard;
	#pairings: DisplayPairings;

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env);
		// Counts billable operations for `npm run bench`; does nothing unless the METER var is "on".
		meterDurableObject(this, "StoreDO");
		this.#sql = ctx.storage.sql;
		this.#schema = new Schema(this.#sql, "store", storeSchema);
		this.#record = new JsonRow(this.#sql, "store");
		this.#timers = new Timers(ctx.storage);
		this.#outbox = new Outbox(this.#sql, () => this.env.EVENTS, this.#timers);
		this.#codes = new CodeBook(this.#sql);
		this.#live = new LiveSockets(ctx);
		this.#queue = new QueuePlaces(this.#sql, (id) => this.env.ORDER.getByName(id));
		this.#robot = new RobotBarista(this.#sql, this.#timers, (id) => this.env.ORDER.getByName(id));
		this.#keys = new IdempotencyKeys(this.#sql);
		this.#pins = new PinGuard(this.#sql);
		this.#pairings = new DisplayPairings(this.#sql);
	}

	// ---- store settings ---------------------------------------------------------------------------------

	async create(input: CreateStoreBody): Promise<Result<StoreView>> {
		if (this.#load()) return fail("store_exists", `A store with id '${input.id}' already exists.`);
		const salt = newSalt();
		const pins: PinHashes = {
			salt,
			barista: await hashPin(input.pins.barista, salt),
			admin: await hashPin(input.pins.admin, salt),
			...(input.pins.display ? { display: await hashPin(input.pins.display, salt) } : {}),
			version: 1,
		};
		// The hashing awaited: a concurrent create may have won meanwhile.
		if (this.#load()) return fail("store_exists", `A store with id '${input.id}' already exists.`);
		this.#schema.ensure();
		const now = Date.now();
		const record: StoreRecord = {
			storeId: input.id,
			name: input.name,
			settings: Settings.parse(input.settings ?? {}),
			menu: input.menu ?? Menu.parse(defaultMenu),
			pins,
			version: 1,
			nextNumber: 1,
			createdAt: now,
			updatedAt: now,
		};
		this.#save(record);
		this.#outbox.add(
			createEvent("ConfigService.ConfigChanged", { storeId: record.storeId, time: now }, { store: this.#publicView(record), changed: ["created"] }),
		);
		this.#timers.set("prune", now + dayMs);
		this.#deliver();
		return ok(this.#view(record));
	}

	async view(): Promise<Result<StoreView>> {
		const record = this.#load();
		return record ? ok(this.#view(record)) : this.#missing();
	}

	async patch(actor: Actor, body: PatchStoreBody, idempotency?: IdempotencyKey): Promise<Replayable<StoreView>> {
		return this.#once(callerOf(actor), idempotency, (remember) => this.#patch(actor, body, remember));
	}

	async #patch(actor: Actor, body: PatchStoreBody, remember: Remember<StoreView>): Promise<Result<StoreView>> {
		const before = this.#load();
		if (!before) return this.#missing();
		if (!isStaffOf(actor, before.storeId)) return fail("forbidden", "Only this store's staff can change it.");
		if (!isAdminOf(actor, before.storeId)) {
			const denied = Object.keys(body).filter((key) => !(baristaSettingsKeys as readonly string[]).includes(key));
			if (denied.length > 0) return fail("forbidden", `Only an admin can change ${denied.join(", ")}.`, { fields: denied });
		}
		// Hash new PINs first: everything after this line runs without an await, so no other change interleaves.
		const pinHashes = body.pins
			? {
					barista: body.pins.barista ? await hashPin(body.pins.barista, before.pins.salt) : null,
					admin: body.pins.admin ? await hashPin(body.pins.admin, before.pins.salt) : null,
					display: body.pins.display ? await hashPin(body.pins.display, before.pins.salt) : null,
				}
			: null;

		const current = this.#load()!;
		const now = Date.now();
		const next: StoreRecord = structuredClone(current);
		const { open, paused, name, menu, availability, pins, cancelOpenOrders, ...tunables } = body;
		if (name !== undefined) next.name = name;
		if (open !== undefined) next.settings.open = open;
		if (paused !== undefined) next.settings.paused = paused;
		Object.assign(next.settings, tunables);
		if (menu !== undefined) next.menu = menu;
		if (availability !== undefined) {
			const applied = applyAvailability(next.menu, availability);
			if (!applied.ok) return applied;
		}
		if (pinHashes) {
			const barista = pinHashes.barista ?? current.pins.barista;
			const admin = pinHashes.admin ?? current.pins.admin;
			const display = pinHashes.display ?? current.pins.display;
			if (sameSecret(barista, admin) || (display && (sameSecret(display, barista) || sameSecret(display, admin)))) {
				return fail("invalid_request", "The barista, admin and display PINs must differ.");
			}
			next.pins = { ...current.pins, barista, admin, ...(display ? { display } : {}), version: current.pins.version + 1 };
		}
		next.version = current.version + 1;
		next.updatedAt = now;
		this.#save(next);
		// A new window length or token count takes effect with a fresh code, not halfway through one.
		if (body.drinksPerCode !== undefined || body.codeWindowSeconds !== undefined) this.#codes.endCurrent(now);
		if (cancelOpenOrders) {
			for (const { order_id } of this.#sql.exec<{ order_id: string }>(`SELECT order_id FROM orders WHERE state IN ${openStateList}`)) {
				this.#sql.exec(`INSERT OR IGNORE INTO closing (order_id) VALUES (?)`, order_id);
			}
		}
		const changed = Object.keys(body);
		this.#outbox.add(createEvent("ConfigService.ConfigChanged", { storeId: next.storeId, time: now }, { store: this.#publicView(next), changed }));
		remember(ok(this.#view(next)));
		this.#broadcastStore(next);
		if (next.settings.robotBarista) this.#robot.wake(now);
		if (open !== undefined || body.drinksPerCode !== undefined || body.codeWindowSeconds !== undefined) {
			this.#broadcastQr(next.settings.open ? this.#window(now) : null);
		}
		this.#deliver();
		if (cancelOpenOrders) await this.#cancelClosing();
		return ok(this.#view(this.#load()!));
	}

	/**
	 * Checks a staff PIN; the role it opens and the PIN version go into the staff session. Wrong PINs count
	 * against the client (PinGuard): a client that keeps guessing waits, longer and longer, without holding
	 * back anyone with a clean record; sessions already signed in are not affected.
	 */
	async signIn(pin: string, client: SignInClient): Promise<Result<{ role: StaffRole; pinVersion: number; storeId: string }>> {
		const checked = await this.#checkPin(pin, client, (pins) => [
			["admin", pins.admin],
			["barista", pins.barista],
		]);
		if (checked.ok || checked.code !== "pin_invalid") return checked;
		return fail("pin_invalid", "That PIN is not right for this store.");
	}

	/** Checks the display PIN, which signs the store's big screen in (and nothing else), counted as `signIn`. */
	async signInDisplay(pin: string, client: SignInClient): Promise<Result<{ pinVersion: number; storeId: string }>> {
		const checked = await this.#checkPin(pin, client, (pins) => [["display", pins.display]]);
		if (checked.ok || checked.code !== "pin_invalid") return checked;
		const hasPin = this.#load()!.pins.display !== undefined;
		return fail("pin_invalid", hasPin ? "That is not this store's display PIN." : "This store has no display PIN: pair the display from a barista's tablet.");
	}

	async #checkPin<Role extends string>(
		pin: string,
		client: SignInClient,
		candidates: (pins: PinHashes) => [Role, string | undefined][],
	): Promise<Result<{ role: Role; pinVersion: number; storeId: string }>> {
		const record = this.#load();
		if (!record) return this.#missing();
		const locked = this.#pins.lockedUntil(client, Date.now());
		if (locked) return pinLocked(locked);
		const hash = await hashPin(pin, record.pins.salt);
		// The hashing awaited: compare with the PINs as they are now.
		const { pins, storeId } = this.#load()!;
		const now = Date.now();
		const role = candidates(pins).find(([, stored]) => stored !== undefined && sameSecret(hash, stored))?.[0];
		if (role) {
			this.#pins.succeeded(client, now);
			return ok({ role, pinVersion: pins.version, storeId });
		}
		const lockedUntil = this.#pins.failed(client, now);
		// The caller words a wrong PIN for the screen it came from.
		return lockedUntil ? pinLocked(lockedUntil) : fail("pin_invalid", "That PIN is not right.");
	}

	/** A one-time code a barista gives a display to sign in with, valid for a few minutes. */
	async pairDisplay(actor: Actor): Promise<Result<{ code: string; expiresAt: string }>> {
		const record = this.#load();
		if (!record) return this.#missing();
		if (!isStaffOf(actor, record.storeId)) return fail("forbidden", "Only this store's staff can pair a display.");
		const { code, expiresAt } = this.#pairings.issue(Date.now());
		return ok({ code, expiresAt: new Date(expiresAt).toISOString() });
	}

	/** Signs a display in with a pairing code; a wrong code counts against the client like a wrong PIN. */
	async redeemPairing(code: string, client: SignInClient): Promise<Result<{ pinVersion: number; storeId: string }>> {
		const record = this.#load();
		if (!record) return this.#missing();
		const now = Date.now();
		// Checked before any lock: a code is too long to guess, and pairing is how a screen gets in during an attack.
		if (this.#pairings.redeem(code, now)) {
			this.#pins.succeeded(client, now);
			return ok({ pinVersion: record.pins.version, storeId: record.storeId });
		}
		const lockedUntil = this.#pins.lockedUntil(client, now) ?? this.#pins.failed(client, now);
		if (lockedUntil) return pinLocked(lockedUntil);
		return fail("pairing_code_invalid", "That pairing code is not valid: it may have expired or been used. Ask a barista for a new one.");
	}

	/** The sign-in locks in force (a store admin's view). */
	async lockouts(actor: Actor): Promise<Result<Lockout[]>> {
		const record = this.#load();
		if (!record) return this.#missing();
		if (!isAdminOf(actor, record.storeId)) return fail("forbidden", "Only an admin of this store can see its sign-in locks.");
		return ok(this.#pins.lockouts(Date.now()));
	}

	/** Clears every sign-in lock and count (an admin letting staff back in during an attack). */
	async clearLockouts(actor: Actor): Promise<Result<{ cleared: number }>> {
		const record = this.#load();
		if (!record) return this.#missing();
		if (!isAdminOf(actor, record.storeId)) return fail("forbidden", "Only an admin of this store can clear its sign-in locks.");
		return ok({ cleared: this.#pins.clear(Date.now()) });
	}

	/** Signs every staff session out (a lost tablet, a barista who left), without changing the PINs. */
	async revokeStaffSessions(actor: Actor): Promise<Result<{ pinVersion: number }>> {
		const record = this.#load();
		if (!record) return this.#missing();
		if (!isAdminOf(actor, record.storeId)) return fail("forbidden", "Only an admin of this store can sign staff out.");
		const pins = { ...record.pins, version: record.pins.version + 1 };
		this.#save({ ...record, pins });
		return ok({ pinVersion: pins.version });
	}

	/** The PIN version staff sessions must carry to stay valid. */
	async pinVersion(): Promise<number | null> {
		return this.#load()?.pins.version ?? null;
	}

	// ---- QR codes and admission -------------------------------------------------------------------------

	async qr(): Promise<Result<CodeWindow>> {
		if (!this.#load()) return this.#missing();
		return ok(this.#window(Date.now()));
	}

	/** The running QR window; opening a new one shows it on every board and arms its rotation. */
	#window(now: number): CodeWindow {
		const { settings } = this.#load()!;
		return this.#codes.current(now, settings.codeWindowSeconds, settings.drinksPerCode, (opened) => {
			this.#broadcastQr(opened);
			this.#armRotation(opened);
		});
	}

	/**
	 * Redeems a QR code for an attendee: checks the store, the code, the attendee's earlier redemption and
	 * daily limit, their network's share of the code (if the store sets one), the tokens and the capacity,
	 * then admits them with a new order. A repeat scan of the same code by the same attendee returns the order
	 * it already opened. `network` is the client's (an IPv4 address, an IPv6 /64), null when not counted.
	 */
	async scan(
		userId: string,
		name: string | null,
		code: string,
		network: string | null,
		idempotency?: IdempotencyKey,
	): Promise<Replayable<ScanResult & { created: boolean }>> {
		return this.#once(callerOf({ kind: "attendee", userId, name }), idempotency, async (remember) => {
			const now = Date.now();
			const admitted = this.#admit(userId, name, code, network, now);
			if (!admitted.ok) {
				// A refusal may still have recorded an event (a turn-away).
				if (this.#outbox.pending > 0) this.#deliver();
				return admitted;
			}
			const { start, created } = admitted.value;
			const answer = ok({ orderId: start.orderId, expiresAt: new Date(start.customerDeadline).toISOString(), created });
			if (created) {
				remember(answer);
				if (this.#live.count(...publicRoles, ...staffRoles) > 0) this.#broadcastQr(this.#codes.find(code)!);
				this.#deliver();
				await this.#start(start);
			}
			return answer;
		});
	}

	#admit(userId: string, name: string | null, code: string, network: string | null, now: number): Result<{ start: OrderStart; created: boolean }> {
		const record = this.#load();
		if (!record) return this.#missing();
		const { settings } = record;
		const minute = Math.floor(now / 60_000);
		const attempts = this.#sql
			.exec<{ count: number }>(
				`INSERT INTO scan_attempts (user_id, minute, count) VALUES (?, ?, 1)
				 ON CONFLICT (user_id, minute) DO UPDATE SET count = count + 1 RETURNING count`,
				userId,
				minute,
			)
			.one().count;
		if (attempts > scanAttemptsPerMinute) {
			return fail("rate_limited", "Too many scans: wait a minute and scan the code on the screen.", {
				retryAfterSeconds: Math.ceil(((minute + 1) * 60_000 - now) / 1000),
			});
		}
		if (!settings.open) return this.#turnAway(record, userId, "store_closed", `${record.name} is closed right now.`, now);
		if (settings.paused) return this.#turnAway(record, userId, "store_paused", `${record.name} is not taking new orders for a moment.`, now);
		if (!codeShape.test(code)) return fail("code_invalid", "That is not an edgepresso code.");
		const window = this.#codes.find(code);
		if (!window) return { ...fail("code_invalid", "That code is not one of this store's."), status: 404 };
		if (window.expiresAt <= now) return fail("code_expired", "That code has expired: scan the one on the screen now.");

		const earlier = this.#codes.redemption(code, userId);
		if (earlier) {
			const row = this.#orderRow(earlier);
			if (row && isOpenState(row.state)) {
				const start = {
					orderId: earlier,
					storeId: record.storeId,
					userId,
					name: row.name,
					createdAt: row.created_at,
					customerDeadline: row.customer_deadline,
				};
				return ok({ start, created: false });
			}
			return fail("code_already_used", "You already used this code: scan the next one for another drink.");
		}

		const day = dayOf(now, settings.timeZone);
		const today = this.#dailyCount(userId, day);
		if (today >= settings.maxOrdersPerUserPerDay) {
			const drinks = settings.maxOrdersPerUserPerDay === 1 ? "drink" : "drinks";
			return fail("order_limit", `You have had your ${settings.maxOrdersPerUserPerDay} ${drinks} for today.`, {
				limit: settings.maxOrdersPerUserPerDay,
			});
		}
		// Counted only while the store sets a budget: a venue's attendees often share a few addresses.
		const budget = network === null ? 0 : settings.drinksPerNetworkPerCode;
		if (budget > 0 && this.#codes.takenBy(code, network!) >= budget) {
			const drinks = budget === 1 ? "drink" : "drinks";
			return fail("network_limit", `Your network has had this code's ${budget} ${drinks}: wait for the next code.`, { limit: budget });
		}
		if (window.tokensLeft <= 0) return fail("code_exhausted", "This code's drinks are all taken: wait for the next code.");
		const open = this.#openCount();
		if (open >= settings.capacity) {
			return this.#turnAway(record, userId, "at_capacity", "The baristas have their hands full: try again in a few minutes.", now);
		}

		const start = this.#openOrder(record, userId, name, day, now);
		const { orderId } = start;
		const tokensLeft = this.#codes.redeem(code, userId, orderId);
		if (budget > 0) this.#codes.countFor(code, network!);
		this.#sql.exec(
			`INSERT INTO daily_orders (user_id, day, count) VALUES (?, ?, 1) ON CONFLICT (user_id, day) DO UPDATE SET count = count + 1`,
			userId,
			day,
		);
		this.#outbox.add(
			createEvent(
				"Validator.NewOrder",
				{ storeId: record.storeId, orderId, time: now },
				{
					orderId,
					userId,
					tokensLeft,
					tokensTotal: window.tokensTotal,
					codeExpiresAt: new Date(window.expiresAt).toISOString(),
					openOrders: open + 1,
				},
			),
		);
		return ok({ start, created: true });
	}

	/** A new order's row, holding a capacity slot from now on; its OrderDO is started from what this returns. */
	#openOrder(record: StoreRecord, userId: string, name: string | null, day: string, now: number): OrderStart {
		const orderId = crypto.randomUUID();
		const customerDeadline = now + record.settings.customerTimeoutSeconds * 1000;
		this.#sql.exec(
			`INSERT INTO orders (order_id, user_id, name, state, version, day, created_at, customer_deadline) VALUES (?, ?, ?, 'AWAITING_ORDER', 1, ?, ?, ?)`,
			orderId,
			userId,
			name,
			day,
			now,
			customerDeadline,
		);
		return { orderId, storeId: record.storeId, userId, name, createdAt: now, customerDeadline };
	}

	/**
	 * A walk-up: someone at the counter without a phone, whose drink the barista enters. Staff let them in, so
	 * the order skips the QR code and the daily limit; it still takes a capacity slot, needs the store open,
	 * and must be a drink on the menu. The caller then submits the drink (OrderDO.submit) as for any order,
	 * with the same Idempotency-Key: a repeat gets the same order back here, and its answer from the order.
	 */
	async walkUp(staff: Actor, body: Pick<SubmitOrderBody, "drink" | "options" | "name">, idempotency?: IdempotencyKey): Promise<Replayable<OrderStart>> {
		return this.#once(callerOf(staff), idempotency, async (remember) => {
			const record = this.#load()!;
			if (!record.settings.open) return fail("store_closed", `${record.name} is closed right now.`);
			const selection = resolveSelection(record.menu, body);
			if (!selection.ok) return selection;
			if (this.#openCount() >= record.settings.capacity) {
				return fail("at_capacity", "The store holds as many open orders as its capacity: finish one first.");
			}
			const now = Date.now();
			const start = this.#openOrder(record, walkUpUserId, body.name ?? null, dayOf(now, record.settings.timeZone), now);
			remember(ok(start));
			await this.#start(start);
			return ok(start);
		});
	}

	#turnAway(record: StoreRecord, userId: string, reason: "store_closed" | "store_paused" | "at_capacity", message: string, now: number): Failure {
		this.#outbox.add(createEvent("OrderProcessor.ShopUnavailable", { storeId: record.storeId, time: now }, { userId, reason }));
		return fail(reason, message);
	}

	/**
	 * Starts the order's workflow and records the admission in the attendee directory (so "forget me" finds
	 * the order before D1 does); `started` is set once both hold. What fails, the alarm keeps trying.
	 */
	async #start(start: OrderStart): Promise<void> {
		try {
			const attendee = start.userId === walkUpUserId || start.userId === forgottenUserId ? null : start.userId;
			const [order] = await Promise.all([
				this.env.ORDER.getByName(start.orderId).start(start),
				attendee && attendeeDirectory(this.env, attendee).record(attendee, start.storeId),
			]);
			this.#sql.exec(`UPDATE orders SET started = 1, snapshot = coalesce(snapshot, ?) WHERE order_id = ?`, JSON.stringify(order), start.orderId);
			if (order.version === 1) this.#broadcastOrder(undefined, order);
		} catch (error) {
			console.warn(`store ${start.storeId}: could not start or record order ${start.orderId} (${String(error)}); retrying`);
			this.#timers.setNoLaterThan("start_orders", Date.now() + 2000);
		}
	}

	// ---- orders -----------------------------------------------------------------------------------------

	/** Accepts an attendee's drink for an admitted order: checks it against the menu and gives it a number. */
	async submit(orderId: string, userId: string, body: Pick<SubmitOrderBody, "drink" | "options" | "name">): Promise<Result<Submission>> {
		const record = this.#load();
		if (!record) return this.#missing();
		const row = this.#orderRow(orderId);
		if (!row || row.user_id !== userId) return fail("order_not_found", `No order ${orderId}.`);
		if (row.state !== "AWAITING_ORDER") {
			return fail("illegal_transition", `Cannot submit: the order is ${row.state}.`, { state: row.state });
		}
		const selection = resolveSelection(record.menu, body);
		if (!selection.ok) return selection;
		const now = Date.now();
		const number = record.nextNumber;
		const { position, etaSeconds } = this.#queue.joining(now);
		this.#save({ ...record, nextNumber: number + 1 });
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
		// The board learns of the order here, when it gets its number; staff see it when the order reports in.
		const ticket = ticketOf(this.#orderRow(orderId)!);
		this.#live.broadcast("public", publicRoles, (version) => ({ type: "ticket", version, number, ticket }) satisfies BoardMessage);
		const baristaDeadline = now + record.settings.baristaTimeoutSeconds * 1000;
		return ok({ ...selection.value, number, queuedAt: now, baristaDeadline, position, etaSeconds });
	}

	/**
	 * The OrderDO reports every change of its order here. A change to a finished state frees the order's
	 * capacity slot; that happens once, however often the report is repeated or reordered.
	 */
	async track(order: Order): Promise<void> {
		const row = this.#orderRow(order.id);
		if (!row || order.version <= row.version) return;
		// A finished order never changes state again; later versions only annotate it (a reminder, a forgotten name).
		const wasOpen = isOpenState(row.state);
		if (!wasOpen && order.state !== row.state) return;
		const at = (iso: string | null): number | null => (iso ? Date.parse(iso) : null);
		this.#sql.exec(
			`UPDATE orders SET state = ?, version = ?, number = ?, name = ?, queued_at = ?, claimed_at = ?, finished_at = ?, called_at = ?, snapshot = ? WHERE order_id = ?`,
			order.state,
			order.version,
			order.number,
			order.name,
			at(order.queuedAt),
			at(order.claimedAt),
			at(order.finishedAt),
			at(order.remindedAt ?? null),
			JSON.stringify(order),
			order.id,
		);
		// A claim or an unclaim changes what the order should be told about its wait; tell it afresh.
		if (row.state !== order.state) this.#sql.exec(`UPDATE orders SET pushed_position = NULL, pushed_eta = NULL WHERE order_id = ?`, order.id);
		this.#broadcastOrder(row, order);
		// Places and waits are told at most once a second: a busy bar changes the queue many times a second,
		// and telling every queued order on every change would cost a call per order per change.
		this.#timers.setNoLaterThan("queue", Date.now() + queueRefreshMs);
		if (order.state === "QUEUED" && this.#load()?.settings.robotBarista) this.#robot.wake(Date.now());
		// An order that ended without a drink does not count against the attendee's daily limit.
		if (wasOpen && !isOpenState(order.state) && order.state !== "READY") {
			this.#sql.exec(`UPDATE daily_orders SET count = max(count - 1, 0) WHERE user_id = ? AND day = ?`, row.user_id, row.day);
		}
		// A burst staff ended gives its tokens back while the code still runs, so the people at the bar can scan.
		if (wasOpen && order.reason === "burst") {
			const window = this.#codes.giveBack(order.id, Date.now());
			if (window) this.#broadcastQr(window);
		}
	}

	/**
	 * Staff end a burst: of `orderIds` (what their tablet showed), those that are part of a burst now
	 * (contract/bursts.ts) are cancelled, unless their drink was chosen meanwhile. Each frees its capacity
	 * slot, and its token goes back to the code if the code still runs (see `track`).
	 */
	async endBurst(actor: Actor, orderIds: string[]): Promise<Result<{ ended: number; kept: number }>> {
		const record = this.#load();
		if (!record) return this.#missing();
		if (!isStaffOf(actor, record.storeId)) return fail("forbidden", "Only this store's staff can end a burst.");
		const waiting = this.#sql
			.exec<OrderRow>(`SELECT * FROM orders WHERE state = 'AWAITING_ORDER'`)
			.toArray()
			.map((row) => ({ id: row.order_id, admittedAt: row.created_at, state: row.state, userId: row.user_id }));
		const burst = new Set(burstOf(waiting, Date.now()));
		const asked = [...new Set(orderIds)];
		const targets = asked.filter((id) => burst.has(id));
		const results = await Promise.allSettled(targets.map((id) => this.env.ORDER.getByName(id).endBurst()));
		const ended = results.filter((r) => r.status === "fulfilled" && r.value.ok).length;
		return ok({ ended, kept: asked.length - ended });
	}

	/** The orders this store holds for an attendee (including ones too new for the read model). */
	async ordersOf(userId: string): Promise<string[]> {
		if (!this.#schema.ready) return [];
		return this.#sql.exec<{ order_id: string }>(`SELECT order_id FROM orders WHERE user_id = ?`, userId).toArray().map((r) => r.order_id);
	}

	/**
	 * Forgets an attendee at this store: their name and id leave its orders and their redemptions, and their
	 * limits go. A redemption stays, under a stand-in id of its own, so the code's books still add up
	 * (redeemed = issued − left). Called after the orders themselves have forgotten them, so no later report
	 * brings the name back.
	 */
	async forget(userId: string): Promise<void> {
		if (!this.#schema.ready) return;
		this.#sql.exec(
			`UPDATE orders SET user_id = ?, name = NULL,
			   snapshot = CASE WHEN snapshot IS NULL THEN NULL ELSE json_set(snapshot, '$.name', NULL, '$.userId', ?) END
			 WHERE user_id = ?`,
			forgottenUserId,
			forgottenUserId,
			userId,
		);
		this.#sql.exec(`UPDATE redemptions SET user_id = ? || ':' || order_id WHERE user_id = ?`, forgottenUserId, userId);
		for (const table of ["daily_orders", "scan_attempts"]) this.#sql.exec(`DELETE FROM ${table} WHERE user_id = ?`, userId);
		this.#keys.forget(callerOf({ kind: "attendee", userId, name: null }));
	}

	/**
	 * The store's own books, for invariant checks: orders by state, the capacity slots held, and for every
	 * code how many tokens it was issued, has left and how many attendees redeemed it (less those staff gave
	 * back by ending a burst).
	 */
	async audit(): Promise<StoreAudit> {
		if (!this.#schema.ready) return { openOrders: 0, capacity: 0, byState: {}, codes: [], orders: [] };
		const byState = Object.fromEntries(
			this.#sql.exec<{ state: string; n: number }>(`SELECT state, count(*) AS n FROM orders GROUP BY state`).toArray().map((r) => [r.state, r.n]),
		);
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
		return { openOrders: this.#openCount(), capacity: this.#load()?.settings.capacity ?? 0, byState, codes, orders };
	}

	/** Orders holding a capacity slot right now. */
	async openOrders(): Promise<number> {
		return this.#schema.ready ? this.#openCount() : 0;
	}

	// ---- alarm ------------------------------------------------------------------------------------------

	override async alarm(): Promise<void> {
		if (!this.#schema.ready) return;
		const { kinds, at } = this.#timers.takeDue(Date.now());
		for (const kind of kinds) {
			switch (kind) {
				case "outbox":
					await this.#outbox.flush();
					break;
				case "start_orders":
					// Finished ones too: an order can end while its admission is still to be recorded.
					for (const row of this.#sql.exec<OrderRow>(`SELECT * FROM orders WHERE started = 0`).toArray()) {
						await this.#start({
							orderId: row.order_id,
							storeId: this.#load()!.storeId,
							userId: row.user_id,
							name: row.name,
							createdAt: row.created_at,
							customerDeadline: row.customer_deadline,
						});
					}
					break;
				case "close_orders":
					await this.#cancelClosing();
					break;
				case "prune":
					this.#prune(at);
					break;
				case "rotate":
					this.#rotate(Date.now());
					break;
				case "robot": {
					const settings = this.#load()?.settings;
					if (settings?.robotBarista) await this.#robot.step(at, this.#load()!.storeId, settings.robotSecondsPerDrink);
					break;
				}
				case "queue":
					this.#queue.refresh(Date.now());
					break;
			}
		}
	}

	/** Cancels the orders a "close and cancel" left open; what fails is retried from the alarm. */
	async #cancelClosing(): Promise<void> {
		const ids = this.#sql.exec<{ order_id: string }>(`SELECT order_id FROM closing`).toArray().map((row) => row.order_id);
		const results = await Promise.allSettled(ids.map((id) => this.env.ORDER.getByName(id).closeByStore()));
		let retry = false;
		results.forEach((result, i) => {
			if (result.status === "fulfilled") this.#sql.exec(`DELETE FROM closing WHERE order_id = ?`, ids[i]);
			else retry = true;
		});
		if (retry) this.#timers.setNoLaterThan("close_orders", Date.now() + 5000);
	}

	/** The daily clean-up, as of `now`: the moment it was due (the alarm's time), so the next one is a day after it. */
	#prune(now: number): void {
		this.#codes.prune(now - keepMs);
		this.#sql.exec(`DELETE FROM orders WHERE state NOT IN ${openStateList} AND finished_at < ?`, now - keepMs);
		this.#sql.exec(`DELETE FROM daily_orders WHERE day < ?`, dayOf(now - keepMs, "UTC"));
		this.#sql.exec(`DELETE FROM scan_attempts WHERE minute < ?`, Math.floor(now / 60_000) - 5);
		this.#keys.prune(now - keyRetentionMs);
		this.#pins.prune(now);
		this.#timers.set("prune", now + dayMs);
	}

	// ---- live updates -----------------------------------------------------------------------------------

	/**
	 * `GET /api/stores/:store/ws`: the public board (anyone), the signed-in display (`?role=display`), or
	 * a barista's or admin's view of every order.
	 */
	override async fetch(request: Request): Promise<Response> {
		if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
			return refuseUpgrade(426, "upgrade_required", "This is a WebSocket endpoint.");
		}
		const record = this.#load();
		if (!record) return refuseUpgrade(404, "store_not_found", "No such store.");
		const url = new URL(request.url);
		const role = socketRole(readActor(request), url.searchParams.get("role"), record.storeId);
		if (!role.ok) return refuseUpgrade(errorStatus[role.code], role.code, role.message);
		const facts: SocketFacts = { role: role.value, origin: request.headers.get(originHeader) ?? url.origin };
		// Anyone may watch the public board, but not from a thousand sockets: each holds memory here.
		const network = facts.role === "board" ? request.headers.get(networkHeader) : null;
		const networkTag = network === null ? null : `network:${network}`;
		if (networkTag !== null && this.ctx.getWebSockets(networkTag).length >= Number(this.env.BOARD_SOCKETS_PER_NETWORK)) {
			return refuseUpgrade(429, "rate_limited", "Too many boards of this store are open from your network: close one and try again.", 30);
		}
		// Open the running window first, so the new socket's first message is its snapshot.
		const window = record.settings.open ? this.#window(Date.now()) : null;
		const { client, server } = this.#live.accept(facts.role, facts, networkTag === null ? [] : [networkTag]);
		send(server, this.#snapshot(facts));
		if (window && publicRoles.includes(facts.role)) this.#armRotation(window);
		return new Response(null, { status: 101, webSocket: client });
	}

	override async webSocketMessage(socket: WebSocket, raw: string | ArrayBuffer): Promise<void> {
		this.#live.receive(socket, raw, () => this.#snapshot(socket.deserializeAttachment() as SocketFacts));
	}

	#snapshot(facts: SocketFacts): BoardMessage | StaffMessage {
		if (publicRoles.includes(facts.role)) {
			return { type: "snapshot", channel: "board", version: this.#live.version("public"), board: this.#board(facts.role === "display" ? facts.origin : null) };
		}
		return { type: "snapshot", channel: "staff", version: this.#live.version("staff"), view: this.#staffView(facts.origin) };
	}

	#board(origin: string | null): Board {
		const record = this.#load()!;
		const now = Date.now();
		const rows = this.#sql
			.exec<OrderRow>(
				`SELECT * FROM orders WHERE number IS NOT NULL AND (state IN ('QUEUED', 'MAKING') OR (state = 'READY' AND finished_at > ?)) ORDER BY number`,
				now - readyOnBoardMs,
			)
			.toArray();
		return {
			store: boardStore(record),
			qr: record.settings.open ? boardQr(record.storeId, this.#window(now), origin) : null,
			tickets: rows.map(ticketOf).filter((t): t is BoardTicket => t !== null),
		};
	}

	#staffView(origin: string): StaffView {
		const record = this.#load()!;
		const now = Date.now();
		const orders = this.#sql
			.exec<OrderRow>(
				`SELECT * FROM orders WHERE snapshot IS NOT NULL AND (state IN ${openStateList} OR finished_at > ?) ORDER BY created_at`,
				now - finishedInStaffViewMs,
			)
			.toArray()
			.map(orderOf);
		return { store: this.#view(record), orders, qr: record.settings.open ? qrView(record.storeId, this.#window(now), origin) : null };
	}

	/** Shows an order's change to staff, and to the boards if its ticket changed. */
	#broadcastOrder(before: OrderRow | undefined, order: Order): void {
		this.#live.broadcast("staff", staffRoles, (version) => ({ type: "order", version, order }) satisfies StaffMessage);
		const was = before ? ticketOf(before) : null;
		const time = (iso: string | null | undefined) => (iso ? Date.parse(iso) : null);
		const now = ticketOf({ number: order.number, name: order.name, state: order.state, finished_at: time(order.finishedAt), called_at: time(order.remindedAt) });
		if (order.number !== null && (was?.state !== now?.state || was?.name !== now?.name || was?.calledAt !== now?.calledAt)) {
			const number = order.number;
			this.#live.broadcast("public", publicRoles, (version) => ({ type: "ticket", version, number, ticket: now }) satisfies BoardMessage);
		}
	}

	#broadcastQr(window: CodeWindow | null): void {
		const storeId = this.#load()!.storeId;
		this.#live.broadcast("public", publicRoles, (version, role) => ({
			type: "qr",
			version,
			qr: window && boardQr(storeId, window, role === "display" ? this.#originOf(role) : null),
		}) satisfies BoardMessage);
		this.#live.broadcast("staff", staffRoles, (version, role) => ({
			type: "qr",
			version,
			qr: window && qrView(storeId, window, this.#originOf(role)),
		}) satisfies StaffMessage);
	}

	#broadcastStore(record: StoreRecord): void {
		this.#live.broadcast("public", publicRoles, (version) => ({ type: "store", version, store: boardStore(record) }) satisfies BoardMessage);
		this.#live.broadcast("staff", staffRoles, (version) => ({ type: "store", version, store: this.#view(record) }) satisfies StaffMessage);
	}

	#originOf(role: StoreRole): string {
		const socket = this.ctx.getWebSockets(role)[0];
		return socket ? (socket.deserializeAttachment() as SocketFacts).origin : "";
	}

	/** While a board is watching an open store, a new code appears the moment the last one ends. */
	#armRotation(window: CodeWindow): void {
		if (this.#live.count(...publicRoles) > 0 && this.#load()?.settings.open) this.#timers.set("rotate", window.expiresAt);
	}

	#rotate(now: number): void {
		const record = this.#load();
		if (!record?.settings.open || this.#live.count(...publicRoles) === 0) return;
		const window = this.#window(now);
		// `#window` re-armed the timer if it opened a new window; a still-running one (settings moved it) re-arms here.
		this.#armRotation(window);
	}

	// ---- storage helpers --------------------------------------------------------------------------------

	/**
	 * Sends the outbox to the Queue without making the caller wait: the events are already committed with
	 * the change, and a failed send is retried from the alarm (Outbox.flush never throws).
	 */
	#deliver(): void {
		void this.#outbox.flush();
	}

	/** The store, or null if it was never created (then nothing else is read either). */
	#load(): StoreRecord | null {
		return this.#schema.ready ? this.#record.get() : null;
	}

	#save(record: StoreRecord): void {
		this.#record.set(record);
	}

	/** A write by `caller`, once per Idempotency-Key. A store that does not exist keeps no records: it is not found, whatever the key. */
	async #once<T>(caller: string, idempotency: IdempotencyKey | undefined, write: (remember: Remember<T>) => Promise<Result<T>>): Promise<Replayable<T>> {
		if (!this.#load()) return this.#missing();
		return this.#keys.run(caller, idempotency, write);
	}

	#missing(): Failure {
		return fail("store_not_found", "No such store.");
	}

	#orderRow(orderId: string): OrderRow | undefined {
		if (!this.#schema.ready) return undefined;
		return this.#sql.exec<OrderRow>(`SELECT * FROM orders WHERE order_id = ?`, orderId).toArray()[0];
	}

	#openCount(): number {
		return this.#sql.exec<{ n: number }>(`SELECT count(*) AS n FROM orders WHERE state IN ${openStateList}`).one().n;
	}

	#dailyCount(userId: string, day: string): number {
		return (
			this.#sql.exec<{ count: number }>(`SELECT count FROM daily_orders WHERE user_id = ? AND day = ?`, userId, day).toArray()[0]?.count ?? 0
		);
	}

	#publicView(record: StoreRecord): Omit<StoreView, "openOrders"> {
		const { open, paused, ...settings } = record.settings;
		return {
			id: record.storeId,
			name: record.name,
			open,
			paused,
			menu: record.menu,
			settings,
			version: record.version,
			updatedAt: new Date(record.updatedAt).toISOString(),
		};
	}

	#view(record: StoreRecord): StoreView {
		return { ...this.#publicView(record), openOrders: this.#openCount() };
	}
}

function pinLocked(until: number): Failure {
	const seconds = Math.ceil((until - Date.now()) / 1000);
	return fail("pin_locked", `Too many wrong PINs: sign-in is paused for ${seconds} s.`, { retryAfterSeconds: seconds });
}
