import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Analytics } from "#contract/analytics.ts";
import type { Order } from "#contract/order.ts";
import { act, adminPin, adminToken, admitted, call, createStore, projected, staff, submit } from "./helpers";

/**
 * The organiser's numbers, from a history made through the API: orders made, cancelled by each side, timed
 * out at each step, and one still being chosen. The expected numbers come from the orders themselves.
 */

const hour = 3_600_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function analytics(storeId: string, token: string, range: { from?: number; to?: number } = {}) {
	const query = new URLSearchParams();
	if (range.from !== undefined) query.set("from", new Date(range.from).toISOString());
	if (range.to !== undefined) query.set("to", new Date(range.to).toISOString());
	return call<Analytics>("GET", `/api/stores/${storeId}/analytics?${query}`, { token });
}

/** The median of a few values, as the API computes it (linear between the two middle ones). */
function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = (sorted.length - 1) / 2;
	return (sorted[Math.floor(middle)]! + sorted[Math.ceil(middle)]!) / 2;
}

const seconds = (ms: number) => Math.round(ms / 100) / 10;

describe("store analytics", () => {
	it("counts drinks per hour, wait and preparation times, endings by reason, and what sold", async () => {
		const store = await createStore();
		const barista = await staff(store.id);
		const started = Date.now();
		const finals: Order[] = [];

		async function order(body: Record<string, unknown>) {
			const person = await admitted(store.id, barista, "Ada");
			const queued = (await submit(person.orderId, person.token, body)).body.order;
			expect(queued.state).toBe("QUEUED");
			return { ...person, queued };
		}

		// Three drinks made, each taking a little while, so waits and preparations differ.
		for (const [body, waitMs, prepMs] of [
			[{ drink: "latte", options: { milk: "oat", syrup: ["vanilla"] } }, 20, 60],
			[{ drink: "latte", options: { milk: "soy" } }, 60, 20],
			[{ drink: "espresso", options: {} }, 40, 40],
		] as const) {
			const { orderId } = await order(body);
			await sleep(waitMs);
			await act(orderId, "claim", barista);
			await sleep(prepMs);
			finals.push((await act(orderId, "complete", barista)).body.order);
		}
		// One the attendee cancels, one the barista cancels while making it.
		const mocha = await order({ drink: "mocha", options: {} });
		finals.push((await act(mocha.orderId, "cancel", mocha.token)).body.order);
		const americano = await order({ drink: "americano", options: {} });
		await act(americano.orderId, "claim", barista);
		finals.push((await act(americano.orderId, "cancel", barista)).body.order);
		// One the attendee never orders, one no barista makes: their timers fire.
		const undecided = await admitted(store.id, barista, "Bo");
		await runDurableObjectAlarm(env.ORDER.getByName(undecided.orderId));
		const tea = await order({ drink: "tea", options: {} });
		await runDurableObjectAlarm(env.ORDER.getByName(tea.orderId));
		for (const { orderId, token } of [undecided, tea])
			finals.push((await call("GET", `/api/orders/${orderId}`, { token })).body.order);
		// One still choosing.
		const choosing = await admitted(store.id, barista, "Cy");
		expect(finals.map((o) => o.state)).toEqual([
			"READY",
			"READY",
			"READY",
			"CANCELLED",
			"CANCELLED",
			"TIMED_OUT",
			"TIMED_OUT",
		]);
		for (const final of finals) await projected(final.id, final.version);
		await projected(choosing.orderId, 1);

		// Timers fired early count as of when they were due: the range reaches past them.
		const range = { from: started - hour, to: Date.now() + 2 * hour };
		const reply = await analytics(store.id, await staff(store.id, adminPin), range);
		expect(reply.status).toBe(200);
		const numbers = reply.body;

		expect(numbers.totals).toEqual({
			admitted: 8,
			walkUps: 0,
			ordered: 6,
			ready: 3,
			cancelled: 2,
			timedOut: 2,
			called: 0,
		});
		expect(numbers.endings).toHaveLength(4);
		expect(numbers.endings).toEqual(
			expect.arrayContaining([
				{ state: "CANCELLED", reason: "customer", count: 1 },
				{ state: "CANCELLED", reason: "barista", count: 1 },
				{ state: "TIMED_OUT", reason: "customer_timeout", count: 1 },
				{ state: "TIMED_OUT", reason: "barista_timeout", count: 1 },
			]),
		);
		expect(numbers.drinks).toEqual([
			{ id: "latte", name: "Latte", count: 2 },
			{ id: "americano", name: "Americano", count: 1 },
			{ id: "espresso", name: "Espresso", count: 1 },
			{ id: "mocha", name: "Mocha", count: 1 },
			{ id: "tea", name: "Tea", count: 1 },
		]);

		// Every choice on every drink ordered, defaults included, as the orders themselves carry them.
		const ordered = finals.filter((o) => o.queuedAt !== null);
		const expectedOptions = new Map<string, number>();
		for (const option of ordered.flatMap((o) => o.options)) {
			const key = `${option.group}:${option.choice}:${option.label}`;
			expectedOptions.set(key, (expectedOptions.get(key) ?? 0) + 1);
		}
		expect(new Map(numbers.options.map((o) => [`${o.group}:${o.choice}:${o.label}`, o.count]))).toEqual(
			expectedOptions,
		);
		expect(numbers.options.find((o) => o.group === "milk" && o.choice === "oat")).toEqual({
			group: "milk",
			choice: "oat",
			label: "Oat",
			count: 1,
		});
		expect(numbers.options.map((o) => o.count)).toEqual(numbers.options.map((o) => o.count).sort((a, b) => b - a));

		const made = finals.filter((o) => o.state === "READY");
		const waits = made.map((o) => Date.parse(o.claimedAt!) - Date.parse(o.queuedAt!));
		const preps = made.map((o) => Date.parse(o.finishedAt!) - Date.parse(o.claimedAt!));
		expect(numbers.wait).toMatchObject({
			count: 3,
			medianSeconds: seconds(median(waits)),
			maxSeconds: seconds(Math.max(...waits)),
		});
		expect(numbers.prep).toMatchObject({
			count: 3,
			medianSeconds: seconds(median(preps)),
			maxSeconds: seconds(Math.max(...preps)),
		});
		expect(numbers.wait.p90Seconds).toBeGreaterThanOrEqual(numbers.wait.medianSeconds!);
		expect(numbers.wait.p90Seconds).toBeLessThanOrEqual(numbers.wait.maxSeconds!);

		// Hour by hour: every hour of the range, in order, each drink in the hour it was ordered and made.
		expect(numbers.hours.map((h) => Date.parse(h.start))).toEqual(
			Array.from({ length: numbers.hours.length }, (_, i) => Math.floor(range.from / hour) * hour + i * hour),
		);
		expect(Date.parse(numbers.hours.at(-1)!.start)).toBeLessThan(range.to);
		const countBy = (times: string[]) => {
			const counts = new Map<string, number>();
			for (const time of times) {
				const start = new Date(Math.floor(Date.parse(time) / hour) * hour).toISOString();
				counts.set(start, (counts.get(start) ?? 0) + 1);
			}
			return counts;
		};
		const busy = (key: "ordered" | "ready") =>
			new Map(numbers.hours.filter((h) => h[key] > 0).map((h) => [h.start, h[key]]));
		expect(busy("ordered")).toEqual(countBy(ordered.map((o) => o.queuedAt!)));
		expect(busy("ready")).toEqual(countBy(made.map((o) => o.finishedAt!)));
		const madeHours = numbers.hours.filter((h) => h.ready > 0);
		for (const h of madeHours) expect(h.medianPrepSeconds).not.toBeNull();
		expect(
			numbers.hours
				.filter((h) => h.ready === 0)
				.every((h) => h.medianWaitSeconds === null && h.medianPrepSeconds === null),
		).toBe(true);
	});

	it("counts only what happened in the range, and only for its store", async () => {
		const store = await createStore();
		const other = await createStore();
		const barista = await staff(store.id);
		const { orderId, token } = await admitted(store.id, barista);
		const version = (await submit(orderId, token)).body.order.version;
		await projected(orderId, version);
		const otherBarista = await staff(other.id);
		const elsewhere = await admitted(other.id, otherBarista);
		await projected(elsewhere.orderId, 1);

		const now = Date.now();
		const mine = (await analytics(store.id, adminToken, { from: now - hour, to: now + hour })).body;
		expect(mine.totals).toEqual({
			admitted: 1,
			walkUps: 0,
			ordered: 1,
			ready: 0,
			cancelled: 0,
			timedOut: 0,
			called: 0,
		});
		expect(mine.drinks).toEqual([{ id: "latte", name: "Latte", count: 1 }]);
		expect(mine.wait).toEqual({ count: 0, medianSeconds: null, p90Seconds: null, maxSeconds: null });

		const earlier = Math.floor(now / hour) * hour - 3 * hour;
		const before = (await analytics(store.id, adminToken, { from: earlier, to: earlier + hour })).body;
		expect(before.totals).toEqual({
			admitted: 0,
			walkUps: 0,
			ordered: 0,
			ready: 0,
			cancelled: 0,
			timedOut: 0,
			called: 0,
		});
		expect(before.hours).toHaveLength(1);
		expect(before.drinks).toEqual([]);
		expect(before.options).toEqual([]);
	});

	it("counts walk-ups apart from QR admissions, and the calls to collect ready drinks", async () => {
		const store = await createStore();
		const barista = await staff(store.id);
		const phone = await admitted(store.id, barista);
		await submit(phone.orderId, phone.token);
		const counter = (
			await call<{ order: Order }>("POST", `/api/stores/${store.id}/walk-ups`, {
				token: barista,
				body: { drink: "tea" },
			})
		).body.order;
		await act(counter.id, "claim", barista);
		await act(counter.id, "complete", barista);
		const called = (await call<{ order: Order }>("POST", `/api/orders/${counter.id}/remind`, { token: barista })).body
			.order;
		await projected(counter.id, called.version);
		await projected(phone.orderId, 2);

		const now = Date.now();
		const numbers = (await analytics(store.id, adminToken, { from: now - hour, to: now + hour })).body;
		expect(numbers.totals).toEqual({
			admitted: 1,
			walkUps: 1,
			ordered: 2,
			ready: 1,
			cancelled: 0,
			timedOut: 0,
			called: 1,
		});
	});

	it("covers the last 24 hours by default and refuses ranges it cannot answer", async () => {
		const store = await createStore();
		const admin = await staff(store.id, adminPin);
		const reply = await analytics(store.id, admin);
		expect(reply.status).toBe(200);
		expect(Date.parse(reply.body.to) - Date.parse(reply.body.from)).toBe(24 * hour);
		expect(reply.body.hours.length).toBeGreaterThanOrEqual(24);

		const now = Date.now();
		const backwards = await analytics(store.id, admin, { from: now, to: now - hour });
		expect(backwards.status).toBe(400);
		expect(backwards.body.error.code).toBe("invalid_request");
		const tooLong = await analytics(store.id, admin, { from: now - 40 * 24 * hour, to: now });
		expect(tooLong.status).toBe(400);
		expect((await analytics(store.id, admin, { from: 0 })).status).toBe(400);
		expect((await call("GET", `/api/stores/${store.id}/analytics?from=yesterday`, { token: admin })).status).toBe(400);

		expect((await analytics("no-such-store", adminToken)).body.error.code).toBe("store_not_found");
		expect((await analytics(store.id, await staff(store.id))).status).toBe(403);
	});
});
