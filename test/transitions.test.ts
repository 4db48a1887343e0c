import { describe, expect, it } from "vitest";
import type { OrderState } from "#contract/order.ts";
import { act, adminPin, admitted, attendee, call, createStore, staff, submit } from "./helpers";

type Who = "owner" | "barista";
type Move = { action: "submit" | "claim" | "unclaim" | "complete" | "cancel" | "remind"; who: Who };

const moves: Move[] = [
	{ action: "submit", who: "owner" },
	{ action: "claim", who: "barista" },
	{ action: "unclaim", who: "barista" },
	{ action: "complete", who: "barista" },
	{ action: "cancel", who: "owner" },
	{ action: "cancel", who: "barista" },
	// Not a move between states: a call to collect a ready drink, which leaves it READY.
	{ action: "remind", who: "barista" },
];

/** docs/design.md#moves: what each move leads to from each state; anything missing is refused with 409. */
const legal: Partial<Record<OrderState, Partial<Record<string, OrderState>>>> = {
	AWAITING_ORDER: { "submit/owner": "QUEUED", "cancel/owner": "CANCELLED", "cancel/barista": "CANCELLED" },
	QUEUED: { "claim/barista": "MAKING", "cancel/owner": "CANCELLED", "cancel/barista": "CANCELLED" },
	MAKING: { "unclaim/barista": "QUEUED", "complete/barista": "READY", "cancel/barista": "CANCELLED" },
	READY: { "remind/barista": "READY" },
};

async function orderIn(state: OrderState) {
	const store = await createStore();
	const barista = await staff(store.id);
	const { token, orderId } = await admitted(store.id, barista);
	const path: Record<OrderState, [string, string][]> = {
		AWAITING_ORDER: [],
		QUEUED: [["submit", token]],
		MAKING: [
			["submit", token],
			["claim", barista],
		],
		READY: [
			["submit", token],
			["claim", barista],
			["complete", barista],
		],
		CANCELLED: [["cancel", token]],
		TIMED_OUT: [],
	};
	for (const [action, who] of path[state]) {
		const reply = action === "submit" ? await submit(orderId, who) : await act(orderId, action, who);
		expect(reply.status).toBe(200);
	}
	return { store, barista, owner: token, orderId };
}

function perform(move: Move, orderId: string, tokens: Record<Who, string>) {
	// A different drink from the one `orderIn` submitted: re-sending the same one is a retry, not a new move.
	const drink = { drink: "mocha", options: {} };
	return move.action === "submit"
		? submit(orderId, tokens[move.who], drink)
		: act(orderId, move.action, tokens[move.who]);
}

describe("the order workflow", () => {
	const states: OrderState[] = ["AWAITING_ORDER", "QUEUED", "MAKING", "READY", "CANCELLED"];
	for (const state of states) {
		for (const move of moves) {
			const to = legal[state]?.[`${move.action}/${move.who}`];
			const title = to
				? `${state} --${move.action} by ${move.who}--> ${to}`
				: `refuses ${move.action} by ${move.who} when the order is ${state} (409 naming the state)`;
			it(title, async () => {
				const { barista, owner, orderId } = await orderIn(state);
				const reply = await perform(move, orderId, { owner, barista });
				if (to) {
					expect(reply.status).toBe(200);
					expect(reply.body.order.state).toBe(to);
				} else {
					expect(reply.status).toBe(409);
					expect(reply.body.error).toMatchObject({ code: "illegal_transition", details: { state } });
					expect(reply.body.error.message).toContain(state);
					const after = await call("GET", `/api/orders/${orderId}`, { token: owner });
					expect(after.body.order.state).toBe(state);
				}
			});
		}
	}

	it("records why an order was cancelled: by the attendee or by a barista", async () => {
		const a = await orderIn("QUEUED");
		expect((await act(a.orderId, "cancel", a.owner)).body.order).toMatchObject({
			state: "CANCELLED",
			reason: "customer",
		});
		const b = await orderIn("MAKING");
		expect((await act(b.orderId, "cancel", b.barista)).body.order).toMatchObject({
			state: "CANCELLED",
			reason: "barista",
		});
	});

	it("lets an attendee re-send the same order after a dropped reply without a second number", async () => {
		const { owner, orderId } = await orderIn("AWAITING_ORDER");
		const first = await submit(orderId, owner);
		const again = await submit(orderId, owner);
		expect(again.status).toBe(200);
		expect(again.body.order.number).toBe(first.body.order.number);
		expect(again.body.order.version).toBe(first.body.order.version);
	});

	it("numbers orders per store in the order they are submitted", async () => {
		const store = await createStore();
		const barista = await staff(store.id);
		const numbers = [];
		for (let i = 0; i < 3; i++) {
			const { token, orderId } = await admitted(store.id, barista);
			numbers.push((await submit(orderId, token)).body.order.number);
		}
		expect(numbers).toEqual([1, 2, 3]);
	});

	it("only lets the claiming barista (or an admin) put an order back in the queue", async () => {
		const { store, orderId } = await orderIn("MAKING");
		const colleague = await staff(store.id, undefined, "Kim");
		const refused = await act(orderId, "unclaim", colleague);
		expect([refused.status, refused.body.error.code]).toEqual([403, "forbidden"]);
		const admin = await staff(store.id, adminPin);
		expect((await act(orderId, "unclaim", admin)).body.order).toMatchObject({ state: "QUEUED", baristaId: null });
	});

	it("keeps attendees and other stores' baristas away from barista moves", async () => {
		const { owner, orderId } = await orderIn("QUEUED");
		const stranger = await attendee();
		const other = await createStore();
		const otherBarista = await staff(other.id);
		expect((await act(orderId, "claim", owner)).status).toBe(403);
		expect((await act(orderId, "claim", stranger.token)).status).toBe(403);
		const foreign = await act(orderId, "claim", otherBarista);
		expect([foreign.status, foreign.body.error.code]).toEqual([404, "order_not_found"]);
		expect((await call("POST", `/api/orders/${orderId}/claim`)).status).toBe(401);
	});

	it("checks the drink against the menu and its availability", async () => {
		const store = await createStore();
		const barista = await staff(store.id);
		const { token, orderId } = await admitted(store.id, barista);
		const cases: [unknown, number, string][] = [
			[{ drink: "unicorn-frappe" }, 400, "invalid_request"],
			[{ drink: "latte", options: { milk: "camel" } }, 400, "invalid_request"],
			[{ drink: "espresso", options: { milk: "oat" } }, 400, "invalid_request"],
			[{ drink: "latte", options: { milk: ["oat", "soy"] } }, 400, "invalid_request"],
			[{ drink: "latte", options: { syrup: ["vanilla", "caramel", "hazelnut"] } }, 400, "invalid_request"],
		];
		for (const [body, status, code] of cases) {
			const reply = await submit(orderId, token, body);
			expect([reply.status, reply.body.error.code], JSON.stringify(body)).toEqual([status, code]);
		}
		await call("PATCH", `/api/stores/${store.id}`, {
			token: barista,
			body: { availability: { choices: { milk: { oat: false } } } },
		});
		const soldOut = await submit(orderId, token, { drink: "latte", options: { milk: "oat" } });
		expect([soldOut.status, soldOut.body.error.code]).toEqual([409, "sold_out"]);
		expect(soldOut.body.error.message).toMatch(/Oat is sold out/);
		await call("PATCH", `/api/stores/${store.id}`, {
			token: barista,
			body: { availability: { drinks: { latte: false } } },
		});
		expect((await submit(orderId, token, { drink: "latte" })).body.error.code).toBe("sold_out");
		expect((await call("GET", `/api/orders/${orderId}`, { token })).body.order.state).toBe("AWAITING_ORDER");
		expect((await submit(orderId, token, { drink: "flat-white", options: { milk: "soy" } })).body.order.state).toBe(
			"QUEUED",
		);
	});

	it("cancels every open order when the store closes with cancelOpenOrders", async () => {
		const store = await createStore();
		const barista = await staff(store.id);
		const waiting = await admitted(store.id, barista);
		const queued = await admitted(store.id, barista);
		await submit(queued.orderId, queued.token);
		const done = await admitted(store.id, barista);
		await submit(done.orderId, done.token);
		await act(done.orderId, "claim", barista);
		await act(done.orderId, "complete", barista);

		const closed = await call("PATCH", `/api/stores/${store.id}`, {
			token: barista,
			body: { open: false, cancelOpenOrders: true },
		});
		expect(closed.status).toBe(200);
		expect(closed.body).toMatchObject({ open: false, openOrders: 0 });
		for (const { orderId, token } of [waiting, queued]) {
			expect((await call("GET", `/api/orders/${orderId}`, { token })).body.order).toMatchObject({
				state: "CANCELLED",
				reason: "store_closed",
			});
		}
		expect((await call("GET", `/api/orders/${done.orderId}`, { token: done.token })).body.order.state).toBe("READY");
	});
});
