import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { Schema } from "../durable-objects/blocks/migrations";
import { EventReleases } from "../durable-objects/store/event-releases";
import { Outbox } from "../durable-objects/blocks/outbox";
import { Timers } from "../durable-objects/blocks/timers";
import { Admission, dayOf, scanAttemptsPerMinute, type Admitted } from "../durable-objects/store/admission";
import { StoreOrders } from "../durable-objects/store/orders";
import { CodeBook, type CodeWindow } from "../durable-objects/store/qr";
import { storeSchema, type StoreRecord } from "../durable-objects/store/schema";
import type { StoreDO } from "../durable-objects/store/store";
import { burstOf, burstQuietMs } from "#contract/bursts.ts";
import type { Result } from "#contract/errors.ts";
import type { EdgeEvent } from "#contract/events.ts";
import { walkUpUserId } from "#contract/order.ts";
import { defaultMenu, Menu, Settings } from "#contract/store.ts";

/** A fixed moment, on a minute's start, so the per-minute scan count is exact. */
const t0 = Date.UTC(2026, 5, 1, 9, 0, 0);

/** Admission over a store's real SQLite (its schema steps applied), with nothing else of the store around it. */
interface Bench {
	admission: Admission;
	orders: StoreOrders;
	codes: CodeBook;
	record: StoreRecord;
	/** The running QR window as of `now` (opened on first ask). */
	window(now?: number): CodeWindow;
	/** Scans as attendee `userId` at `now` (t0 unless told), from `network` (uncounted unless told). */
	scan(userId: string, options?: { code?: string; network?: string | null; now?: number }): Result<Admitted>;
	/** Events recorded so far, oldest first. */
	events(): EdgeEvent[];
	/** Ends an order as its OrderDO would report it, and lets admission give back what the end frees. */
	end(orderId: string, state: "CANCELLED" | "READY" | "TIMED_OUT", reason?: "burst"): CodeWindow | null;
}

let benches = 0;

async function withAdmission(settings: Partial<Settings>, run: (bench: Bench) => void): Promise<void> {
	// An object nobody created: only this test writes to it, so no alarm or outbox flush of the store's runs.
	const stub = env.STORE.getByName(`admission-bench-${++benches}-${crypto.randomUUID()}`) as DurableObjectStub<StoreDO>;
	await runInDurableObject(stub, (_: StoreDO, state) => {
		const sql = state.storage.sql;
		new Schema(sql, "store", storeSchema).ensure();
		const codes = new CodeBook(sql);
		const timers = new Timers(state.storage);
		const outbox = new Outbox(sql, () => env.EVENTS, timers);
		const releases = new EventReleases(sql, timers, (id) => env.VENUE_EVENTS.getByName(id));
		const admission = new Admission(sql, codes, outbox, releases);
		const orders = new StoreOrders(sql);
		const record: StoreRecord = {
			storeId: "bench",
			name: "Bench Bar",
			settings: Settings.parse({ open: true, ...settings }),
			menu: Menu.parse(defaultMenu),
			pins: { salt: "", barista: "", admin: "", version: 1 },
			version: 1,
			nextNumber: 1,
			createdAt: t0,
			updatedAt: t0,
		};
		const window = (now = t0) => codes.current(now, record.settings.codeWindowSeconds, record.settings.drinksPerCode);
		run({
			admission,
			orders,
			codes,
			record,
			window,
			scan: (userId, options = {}) =>
				admission.scan(
					record,
					userId,
					null,
					options.code ?? window(options.now).code,
					options.network ?? null,
					options.now ?? t0,
				),
			events: () =>
				sql
					.exec<{ body: string }>(`SELECT body FROM outbox ORDER BY seq`)
					.toArray()
					.map((row) => JSON.parse(row.body) as EdgeEvent),
			end: (orderId, endState, reason) => {
				const before = orders.row(orderId)!;
				sql.exec(`UPDATE orders SET state = ?, finished_at = ? WHERE order_id = ?`, endState, t0, orderId);
				return admission.ended(before, { id: orderId, state: endState, reason: reason ?? null }, t0);
			},
		});
	});
}

function admitted(result: Result<Admitted>): Admitted {
	if (!result.ok) throw new Error(`refused: ${result.code} (${result.message})`);
	return result.value;
}

function refusal(result: Result<Admitted>) {
	expect(result.ok).toBe(false);
	return result.ok ? null : { code: result.code, details: result.details, status: result.status };
}

describe("admission (the store's synchronous check-and-write, on its own)", () => {
	it("admits with a new order holding a capacity slot and a token, and records the NewOrder event", () =>
		withAdmission({ drinksPerCode: 5 }, ({ scan, window, orders, events }) => {
			const { start, created } = admitted(scan("ana"));
			expect(created).toBe(true);
			expect(start).toMatchObject({ storeId: "bench", userId: "ana", createdAt: t0, customerDeadline: t0 + 300_000 });
			expect(orders.row(start.orderId)).toMatchObject({ state: "AWAITING_ORDER", user_id: "ana", day: "2026-06-01" });
			expect(orders.open).toBe(1);
			expect(window().tokensLeft).toBe(4);
			expect(events().map((e) => [e.type, e.detail])).toEqual([
				[
					"Validator.NewOrder",
					expect.objectContaining({
						orderId: start.orderId,
						userId: "ana",
						tokensLeft: 4,
						tokensTotal: 5,
						openOrders: 1,
					}),
				],
			]);
		}));

	it("gives a repeat scan of the same code the order it opened, taking nothing more; once that order ends, code_already_used", () =>
		withAdmission({}, ({ scan, window, orders, events, end }) => {
			const first = admitted(scan("ana"));
			const again = admitted(scan("ana"));
			expect(again).toEqual({ start: first.start, created: false });
			expect([window().tokensLeft, orders.open, events().length]).toEqual([9, 1, 1]);
			end(first.start.orderId, "CANCELLED");
			expect(refusal(scan("ana"))?.code).toBe("code_already_used");
		}));

	it("takes exactly a code's tokens (code_exhausted after), and the next code starts full", () =>
		withAdmission({ drinksPerCode: 3, codeWindowSeconds: 60 }, ({ scan }) => {
			for (const who of ["a", "b", "c"]) admitted(scan(who));
			expect(refusal(scan("d"))?.code).toBe("code_exhausted");
			expect(admitted(scan("d", { now: t0 + 60_000 })).created).toBe(true);
		}));

	it("holds exactly `capacity` open orders (at_capacity is a turn-away event), and admits again when one ends", () =>
		withAdmission({ capacity: 2 }, ({ scan, events, end }) => {
			const first = admitted(scan("a"));
			admitted(scan("b"));
			expect(refusal(scan("c"))?.code).toBe("at_capacity");
			expect(events().at(-1)).toMatchObject({
				type: "OrderProcessor.ShopUnavailable",
				detail: { userId: "c", reason: "at_capacity" },
			});
			end(first.start.orderId, "READY");
			expect(admitted(scan("c")).created).toBe(true);
		}));

	it("turns attendees away from a closed or paused store with an event, taking nothing", () =>
		withAdmission({}, ({ record, scan, window, orders, events }) => {
			const code = window().code;
			record.settings.paused = true;
			expect(refusal(scan("a", { code }))?.code).toBe("store_paused");
			record.settings.open = false;
			expect(refusal(scan("a", { code }))?.code).toBe("store_closed");
			expect(events().map((e) => e.detail)).toEqual([
				{ userId: "a", reason: "store_paused" },
				{ userId: "a", reason: "store_closed" },
			]);
			expect([window().tokensLeft, orders.open]).toEqual([10, 0]);
		}));

	it("tells a malformed code (400) from a well-formed one nobody issued (404) and from an expired one", () =>
		withAdmission({ codeWindowSeconds: 60 }, ({ scan, window }) => {
			expect(refusal(scan("a", { code: "not-a-code" }))).toMatchObject({ code: "code_invalid", status: undefined });
			expect(refusal(scan("a", { code: "A".repeat(22) }))).toMatchObject({ code: "code_invalid", status: 404 });
			const { code } = window();
			expect(refusal(scan("a", { code, now: t0 + 60_000 }))?.code).toBe("code_expired");
		}));

	it("counts an attendee's drinks per day in the store's time zone, exactly; a drink not made gives its place back", () =>
		withAdmission(
			{ maxOrdersPerUserPerDay: 2, codeWindowSeconds: 60, timeZone: "America/New_York" },
			({ scan, end }) => {
				// 09:00 UTC is 05:00 in New York; the store's day ends at 04:00 UTC the next day.
				const first = admitted(scan("ana"));
				admitted(scan("ana", { now: t0 + 60_000 }));
				expect(refusal(scan("ana", { now: t0 + 120_000 }))).toMatchObject({
					code: "order_limit",
					details: { limit: 2 },
				});
				// A drink handed over still counts; one cancelled does not.
				end(first.start.orderId, "READY");
				expect(refusal(scan("ana", { now: t0 + 180_000 }))?.code).toBe("order_limit");
				const second = admitted(scan("bo", { now: t0 + 180_000 }));
				end(second.start.orderId, "CANCELLED");
				const nextDay = Date.UTC(2026, 5, 2, 4, 0, 0);
				expect(dayOf(nextDay - 1, "America/New_York")).toBe("2026-06-01");
				expect(refusal(scan("ana", { now: nextDay - 60_000 }))?.code).toBe("order_limit");
				expect(admitted(scan("ana", { now: nextDay })).created).toBe(true);
			},
		));

	it("gives each network exactly the store's share of a code, only while the store sets one", () =>
		withAdmission({ drinksPerNetworkPerCode: 2 }, ({ record, scan }) => {
			admitted(scan("a", { network: "192.0.2.7" }));
			admitted(scan("b", { network: "192.0.2.7" }));
			expect(refusal(scan("c", { network: "192.0.2.7" }))).toMatchObject({
				code: "network_limit",
				details: { limit: 2 },
			});
			admitted(scan("c", { network: "2001:db8:1:2::/64" }));
			// An uncounted client (an exempt address) is never held back by a network's share.
			admitted(scan("d", { network: null }));
			record.settings.drinksPerNetworkPerCode = 0;
			admitted(scan("e", { network: "192.0.2.7" }));
		}));

	it(`allows ${scanAttemptsPerMinute} scans per attendee per minute, counting refusals, then says when to retry`, () =>
		withAdmission({}, ({ scan }) => {
			for (let i = 0; i < scanAttemptsPerMinute; i++)
				expect(scan("ana", { code: "nope", now: t0 + 10_000 }).ok).toBe(false);
			const limited = refusal(scan("ana", { code: "nope", now: t0 + 10_000 }));
			expect(limited).toMatchObject({ code: "rate_limited", details: { retryAfterSeconds: 50 } });
			// Others are not held back, and the attendee is let in again the next minute.
			expect(admitted(scan("bo", { now: t0 + 10_000 })).created).toBe(true);
			expect(admitted(scan("ana", { now: t0 + 60_000 })).created).toBe(true);
		}));

	it("admits in the shape burst detection reads, and gives a burst's tokens back while its code runs", () =>
		withAdmission({ drinksPerCode: 6, codeWindowSeconds: 600 }, ({ scan, orders, window, end }) => {
			const burst = ["a", "b", "c", "d"].map((who, i) => admitted(scan(who, { now: t0 + i * 1000 })).start.orderId);
			const later = admitted(scan("e", { now: t0 + 60_000 })).start.orderId;
			expect(burstOf(orders.waiting(), t0 + 60_000 + burstQuietMs)).toEqual(burst);
			expect(window().tokensLeft).toBe(1);
			expect(end(burst[0]!, "CANCELLED", "burst")?.tokensLeft).toBe(2);
			// An order that ends for any other reason keeps its token used.
			expect(end(later, "CANCELLED")).toBeNull();
			expect(window().tokensLeft).toBe(2);
		}));

	it("lets staff admit a walk-up without a code or a daily limit, but not past capacity, into a closed store, or off the menu", () =>
		withAdmission({ capacity: 1, maxOrdersPerUserPerDay: 1 }, ({ admission, record, orders }) => {
			const walkUp = (drink: string) => admission.walkUp(record, { drink, options: {} }, t0);
			expect(walkUp("flat-white-with-gold").ok).toBe(false);
			const first = walkUp("latte");
			expect(first.ok && orders.row(first.value.orderId)?.user_id).toBe(walkUpUserId);
			expect(walkUp("latte")).toMatchObject({ ok: false, code: "at_capacity" });
			record.settings.open = false;
			expect(walkUp("latte")).toMatchObject({ ok: false, code: "store_closed" });
		}));
});
