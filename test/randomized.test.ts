import { evictDurableObject, runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { adminPin, adminToken, attendee, call, createStore, currentCode, keyed, staff, type Reply } from "./helpers";
import { expectInvariants } from "./invariants";

/**
 * A long randomized run: attendees, baristas, admins, timers and evictions act in a random order on two
 * small stores (capacity 3), every answer must be a refusal or a success (never a 5xx), and the invariants
 * hold at the end. Half the writes carry an Idempotency-Key, and a flaky network sends some of them again
 * later: each repeat must get the first answer back, whatever happened since. `RANDOM_STEPS` makes it longer (`npm run test:long`); the seed is printed.
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
	| "retry"
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
	...Array<Op>(3).fill("retry"),
	"forget",
];

/** Answers that mean nothing happened, which a repeat of the same key may change. */
const forgettable = (reply: Reply) =>
	reply.status === 429 || reply.status >= 500 || /_not_found$/.test(reply.body?.error?.code ?? "");
/**
 * Answers only a Durable Object gives, so a record of the key holds them. A 400, 401 or 403 may come from the
 * Worker before any object: the same request is then refused the same way again, with nothing to replay.
 */
const remembered = (reply: Reply) => reply.status < 300 || reply.status === 409 || reply.status === 410;

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
	it(`keeps every invariant through ${steps} random steps`, async () => {
		console.log(`randomized run: ${steps} steps, seed ${seed} (repeat with RANDOM_SEED=${seed})`);
		const next = mulberry32(seed);
		const pick = <T>(items: readonly T[]): T | undefined =>
			items.length ? items[Math.floor(next() * items.length)] : undefined;
		const stores = await Promise.all(
			[0, 1].map(() => createStore({ capacity: 3, drinksPerCode: 4, maxOrdersPerUserPerDay: 100 })),
		);
		const staffOf = new Map(
			await Promise.all(
				stores.map(async (s) => [s.id, { barista: await staff(s.id), admin: await staff(s.id, adminPin) }] as const),
			),
		);
		const people = await Promise.all(Array.from({ length: 12 }, () => attendee()));
		const forgotten: string[] = [];
		const orders: { id: string; store: string; token: string; state: string }[] = [];
		const outcomes = new Map<string, number>();
		const keyedWrites: { op: Op; orderId: string | null; token: string; send: () => Promise<Reply>; first: Reply }[] =
			[];
		/** Forget me drops the attendee's keys and every key of their orders (the answers name them): those writes act anew. */
		const keysForgotten = { tokens: new Set<string>(), orders: new Set<string>() };
		/** Sends a write, with a key half the time (kept for a later retry). */
		async function write(
			op: Op,
			method: string,
			path: string,
			token: string,
			body?: unknown,
			orderId: string | null = null,
		): Promise<Reply> {
			if (next() < 0.5) return call(method, path, { token, body });
			const key = crypto.randomUUID();
			const send = () => keyed(method, path, token, key, body);
			const first = await send();
			keyedWrites.push({ op, orderId: orderId ?? first.body?.order?.id ?? null, token, send, first });
			return first;
		}

		for (let step = 0; step < steps; step++) {
			const op = pick(ops)!;
			const store = pick(stores)!.id;
			const { barista, admin } = staffOf.get(store)!;
			const here = orders.filter((o) => o.store === store);
			const wanted = usualState[op];
			const order = wanted && next() < 0.8 ? (pick(here.filter((o) => o.state === wanted)) ?? pick(here)) : pick(here);
			let status = 0;
			let reply: Reply | null = null;
			switch (op) {
				case "scan": {
					const person = pick(people)!;
					const scanned = await write(op, "POST", `/api/stores/${store}/scans`, person.token, {
						code: (await currentCode(store, barista)).code,
					});
					if (scanned.status === 201)
						orders.push({ id: scanned.body.orderId, store, token: person.token, state: "AWAITING_ORDER" });
					status = scanned.status;
					break;
				}
				case "walk-up": {
					const walkUp = await write(op, "POST", `/api/stores/${store}/walk-ups`, barista, {
						drink: pick(["latte", "espresso", "tea"]),
					});
					if (walkUp.status === 201) orders.push({ id: walkUp.body.order.id, store, token: barista, state: "QUEUED" });
					status = walkUp.status;
					break;
				}
				case "submit":
					reply = order
						? await write(
								op,
								"PUT",
								`/api/orders/${order.id}`,
								order.token,
								{ drink: pick(["latte", "espresso", "tea", "mocha"]) },
								order.id,
							)
						: null;
					break;
				case "claim":
				case "unclaim":
				case "complete":
				case "remind":
				case "cancel-barista":
					reply = order
						? await write(
								op,
								"POST",
								`/api/orders/${order.id}/${op === "cancel-barista" ? "cancel" : op}`,
								barista,
								undefined,
								order.id,
							)
						: null;
					break;
				case "cancel-owner":
					reply = order
						? await write(op, "POST", `/api/orders/${order.id}/cancel`, order.token, undefined, order.id)
						: null;
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
					status = (
						await write(op, "PATCH", `/api/stores/${store}`, barista, { open: false, cancelOpenOrders: next() < 0.5 })
					).status;
					break;
				case "open":
					status = (await write(op, "PATCH", `/api/stores/${store}`, barista, { open: true })).status;
					break;
				case "rotate":
					status = (await write(op, "PATCH", `/api/stores/${store}`, admin, { drinksPerCode: 4 })).status;
					break;
				case "retry": {
					const earlier = pick(
						keyedWrites.filter(
							(w) =>
								!forgettable(w.first) &&
								!keysForgotten.tokens.has(w.token) &&
								!(w.orderId && keysForgotten.orders.has(w.orderId)),
						),
					);
					// An order erased at the end of its retention keeps no records (the timer step can run that early; in
					// production it comes days after the store has forgotten the key).
					if (
						!earlier ||
						(earlier.orderId &&
							(await call("GET", `/api/orders/${earlier.orderId}`, { token: adminToken })).status !== 200)
					)
						break;
					const again = await earlier.send();
					const replay = remembered(earlier.first) ? "true" : again.headers.get("idempotent-replayed");
					expect(
						[again.status, again.text, again.headers.get("idempotent-replayed")],
						`step ${step} retry of ${earlier.op} (seed ${seed})`,
					).toEqual([earlier.first.status, earlier.first.text, replay]);
					status = again.status;
					break;
				}
				case "forget": {
					// The attendee's phone starts afresh afterwards, as the order page does.
					const i = Math.floor(next() * people.length);
					const { token, userId } = people[i]!;
					status = (await call("DELETE", "/api/me", { token })).status;
					forgotten.push(userId);
					keysForgotten.tokens.add(token);
					for (const o of orders) if (o.token === token) keysForgotten.orders.add(o.id);
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
		console.log(
			`randomized run: ${orders.length} orders; outcomes ${JSON.stringify(Object.fromEntries([...outcomes].sort()))}`,
		);
		for (const store of stores) await expectInvariants(store.id, { forgotten });
		expect(orders.length).toBeGreaterThan(0);
	});
});
