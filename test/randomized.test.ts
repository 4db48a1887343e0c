import { evictDurableObject, runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { act, adminPin, attendee, call, createStore, currentCode, scan, staff, submit } from "./helpers";
import { expectInvariants } from "./invariants";

/**
 * A long randomized run: attendees, baristas, admins, timers and evictions act in a random order on two
 * small stores (capacity 3), every answer must be a refusal or a success (never a 5xx), and the invariants
 * hold at the end. `RANDOM_STEPS` makes it longer (`npm run test:long`); the seed is printed.
 */
const steps = Number(env.RANDOM_STEPS ?? "300");
const seed = Number(env.RANDOM_SEED ?? Date.now() % 2 ** 31);

/** A small seeded generator (mulberry32), so a failing run can be repeated exactly. */
function mulberry32(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

type Op =
	| "scan"
	| "walk-up"
	| "submit"
	| "claim"
	| "unclaim"
	| "complete"
	| "remind"
	| "cancel-owner"
	| "cancel-barista"
	| "timer"
	| "evict-order"
	| "evict-store"
	| "close"
	| "open"
	| "rotate"
	| "forget";
const ops: Op[] = [
	...Array<Op>(4).fill("scan"),
	"walk-up",
	...Array<Op>(3).fill("submit"),
	...Array<Op>(3).fill("claim"),
	"unclaim",
	...Array<Op>(3).fill("complete"),
	"remind",
	"cancel-owner",
	"cancel-barista",
	"timer",
	"evict-order",
	"evict-store",
	"close",
	"open",
	"open",
	"rotate",
	"forget",
];

/** The state each move usually finds its order in; the rest of the time any order is tried (and refused). */
const usualState: Partial<Record<Op, string>> = {
	submit: "AWAITING_ORDER",
	claim: "QUEUED",
	unclaim: "MAKING",
	complete: "MAKING",
	"cancel-owner": "QUEUED",
	"cancel-barista": "MAKING",
	remind: "READY",
};

describe("a long randomized run", () => {
	it(`keeps every invariant through ${steps} random steps`, { timeout: Math.max(120_000, steps * 400) }, async () => {
		console.log(`randomized run: ${steps} steps, seed ${seed} (repeat with RANDOM_SEED=${seed})`);
		const next = mulberry32(seed);
		const pick = <T>(items: readonly T[]): T | undefined => (items.length ? items[Math.floor(next() * items.length)] : undefined);
		const stores = await Promise.all([0, 1].map(() => createStore({ capacity: 3, drinksPerCode: 4, maxOrdersPerUserPerDay: 100 })));
		const staffOf = new Map(await Promise.all(stores.map(async (s) => [s.id, { barista: await staff(s.id), admin: await staff(s.id, adminPin) }] as const)));
		const people = await Promise.all(Array.from({ length: 12 }, () => attendee()));
		const forgotten: string[] = [];
		const orders: { id: string; store: string; token: string; state: string }[] = [];
		const outcomes = new Map<string, number>();

		for (let step = 0; step < steps; step++) {
			const op = pick(ops)!;
			const store = pick(stores)!.id;
			const { barista, admin } = staffOf.get(store)!;
			const here = orders.filter((o) => o.store === store);
			const wanted = usualState[op];
			const order = wanted && next() < 0.8 ? (pick(here.filter((o) => o.state === wanted)) ?? pick(here)) : pick(here);
			let status = 0;
			let reply: { status: number; body: any } | null = null;
			switch (op) {
				case "scan": {
					const person = pick(people)!;
					const scanned = await scan(store, person.token, (await currentCode(store, barista)).code);
					if (scanned.status === 201) orders.push({ id: scanned.body.orderId, store, token: person.token, state: "AWAITING_ORDER" });
					status = scanned.status;
					break;
				}
				case "walk-up": {
					const walkUp = await call("POST", `/api/stores/${store}/walk-ups`, { token: barista, body: { drink: pick(["latte", "espresso", "tea"]) } });
					if (walkUp.status === 201) orders.push({ id: walkUp.body.order.id, store, token: barista, state: "QUEUED" });
					status = walkUp.status;
					break;
				}
				case "submit":
					reply = order ? await submit(order.id, order.token, { drink: pick(["latte", "espresso", "tea", "mocha"]) }) : null;
					break;
				case "claim":
				case "unclaim":
				case "complete":
				case "remind":
				case "cancel-barista":
					reply = order ? await act(order.id, op === "cancel-barista" ? "cancel" : op, barista) : null;
					break;
				case "cancel-owner":
					reply = order ? await act(order.id, "cancel", order.token) : null;
					break;
				case "timer":
					if (order) await runDurableObjectAlarm(env.ORDER.getByName(order.id));
					break;
				case "evict-order":
					if (order) await evictDurableObject(env.ORDER.getByName(order.id)).catch(() => undefined);
					break;
				case "evict-store":
					await evictDurableObject(env.STORE.getByName(store)).catch(() => undefined);
					break;
				case "close":
					status = (await call("PATCH", `/api/stores/${store}`, { token: barista, body: { open: false, cancelOpenOrders: next() < 0.5 } })).status;
					break;
				case "open":
					status = (await call("PATCH", `/api/stores/${store}`, { token: barista, body: { open: true } })).status;
					break;
				case "rotate":
					status = (await call("PATCH", `/api/stores/${store}`, { token: admin, body: { drinksPerCode: 4 } })).status;
					break;
				case "forget": {
					// The attendee's phone starts afresh afterwards, as the order page does.
					const i = Math.floor(next() * people.length);
					status = (await call("DELETE", "/api/me", { token: people[i]!.token })).status;
					forgotten.push(people[i]!.userId);
					people[i] = await attendee();
					break;
				}
			}
			if (reply) {
				status = reply.status;
				if (reply.status === 200 && order) order.state = reply.body.order.state;
			}
			if (status) outcomes.set(`${op} ${status}`, (outcomes.get(`${op} ${status}`) ?? 0) + 1);
			expect(status, `step ${step} ${op} (seed ${seed})`).toBeLessThan(500);
		}
		console.log(`randomized run: ${orders.length} orders; outcomes ${JSON.stringify(Object.fromEntries([...outcomes].sort()))}`);
		for (const store of stores) await expectInvariants(store.id, { forgotten });
		expect(orders.length).toBeGreaterThan(0);
	});
});
