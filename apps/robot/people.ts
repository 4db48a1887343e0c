import { ApiRefusal, apiClient, read } from "#client/api.ts";
import { boardChannel, orderChannel, staffChannel } from "#client/live.ts";
import type { Board } from "#contract/live.ts";
import type { Order } from "#contract/order.ts";
import { isOpenState } from "#contract/moves.ts";
import type { StoreView } from "#contract/store.ts";
import type { Tally } from "./stats";

/**
 * The robot's people. Each uses the API through the typed client and follows the live sockets through the
 * reconnecting channels, exactly as the front ends do: the display reads the QR code off its board channel,
 * attendees follow their order's channel, baristas work from their staff channel.
 */

export interface Plan {
	url: string;
	storeId: string;
	/** Fractions of orders the attendee cancels, or never submits (letting the window expire). */
	cancel: number;
	abandon: number;
	/** Seconds a barista takes to make a drink (± half, at random). */
	makeSeconds: number;
	/** How long an attendee follows an order before the robot gives up on it (seconds). */
	patienceSeconds: number;
}

/** What the robot knows of each admitted order, for the audit. */
export interface Admission {
	orderId: string;
	token: string;
	/** The last state its attendee's socket showed. */
	seen: Order | null;
}

const names = [
	"Ada",
	"Grace",
	"Alan",
	"Edsger",
	"Barbara",
	"Donald",
	"Frances",
	"Ken",
	"Radia",
	"Tim",
	"Margaret",
	"Linus",
	"Hedy",
	"John",
	"Katherine",
];
const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)]!;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const refusalCode = (error: unknown) => (error instanceof ApiRefusal ? error.code : "network");

/** How long a request may take before it counts as unanswered. */
const requestTimeout = () => ({ init: { signal: AbortSignal.timeout(30_000) } });

/** A random drink with random options from the live menu, as a person tapping through it would choose. */
export function randomChoice(
	menu: StoreView["menu"],
): { drink: string; options: Record<string, string | string[]> } | null {
	const drinks = menu.drinks.filter((d) => d.available);
	if (drinks.length === 0) return null;
	const drink = pick(drinks);
	const options: Record<string, string | string[]> = {};
	for (const groupId of drink.options) {
		const group = menu.optionGroups.find((g) => g.id === groupId);
		const choices = group?.choices.filter((c) => c.available) ?? [];
		if (!group || choices.length === 0) continue;
		if (group.kind === "multi") {
			const count = Math.floor(Math.random() * ((group.max ?? choices.length) + 1));
			const chosen = [...choices].sort(() => Math.random() - 0.5).slice(0, count);
			if (chosen.length > 0) options[group.id] = chosen.map((c) => c.id);
		} else if (group.required || Math.random() < 0.6) {
			options[group.id] = pick(choices).id;
		}
	}
	return { drink: drink.id, options };
}

/** The big screen: signed in as the store's display, it shows the current code and its drinks left. */
export class Display {
	readonly channel: ReturnType<typeof boardChannel>;

	constructor(url: string, storeId: string, displayToken: string) {
		this.channel = boardChannel(url, storeId, () => displayToken);
	}

	/** The code an attendee can scan now, waiting for one with drinks left (and not `spent`). */
	async code(spent: string | null, timeoutMs: number): Promise<string> {
		const usable = (board: Board | null) =>
			board?.qr?.code &&
			board.qr.tokensLeft > 0 &&
			board.qr.code !== spent &&
			Date.parse(board.qr.expiresAt) > Date.now();
		const state = await this.channel.when((s) => Boolean(usable(s.data)), timeoutMs);
		return state.data!.qr!.code!;
	}
}

export class Attendee {
	#plan: Plan;
	#tally: Tally;
	#display: Display;
	#completedAt: Map<string, number>;

	constructor(plan: Plan, tally: Tally, display: Display, completedAt: Map<string, number>) {
		this.#plan = plan;
		this.#tally = tally;
		this.#display = display;
		this.#completedAt = completedAt;
	}

	/** One order, from a new phone to the end of the order; returns the admission, if there was one. */
	async order(): Promise<Admission | null> {
		const { url, storeId } = this.#plan;
		const tally = this.#tally;
		let token = "";
		const api = apiClient(url, () => token);
		try {
			token = (await read(api.api.session.$post({ json: { name: pick(names) } }, requestTimeout()))).token;
		} catch (error) {
			tally.error("session", refusalCode(error));
			tally.outcome("no answer");
			return null;
		}

		// Scan the code on the screen; a code that runs out or expires meanwhile means waiting for the next.
		let orderId: string | null = null;
		let spent: string | null = null;
		for (let attempt = 0; attempt < 30 && !orderId; attempt++) {
			let code: string;
			try {
				code = await this.#display.code(spent, 120_000);
			} catch {
				tally.error("scan", "no_code_on_display");
				continue;
			}
			const started = performance.now();
			try {
				const scanned = await read(
					api.api.stores[":store"].scans.$post({ param: { store: storeId }, json: { code } }, requestTimeout()),
				);
				tally.time("scan", performance.now() - started);
				orderId = scanned.orderId;
			} catch (error) {
				const code409 = refusalCode(error);
				tally.error("scan", code409);
				if (code409 === "code_exhausted" || code409 === "code_expired") spent = code;
				else await sleep(500 + Math.random() * 1500);
			}
		}
		if (!orderId) {
			tally.outcome("turned away");
			return null;
		}
		tally.admitted++;
		const admission: Admission = { orderId, token, seen: null };
		const channel = orderChannel(url, orderId, () => token);
		channel.subscribe((state) => {
			if (state.data) admission.seen = state.data;
		});
		try {
			// A phone whose socket is slow to connect still orders; the channel keeps trying meanwhile.
			await channel
				.when((s) => s.data !== null, 30_000)
				.catch(() => tally.error("order socket", "no_snapshot_within_30s"));
			const roll = Math.random();
			if (roll >= this.#plan.abandon) await this.#choose(api, orderId, roll < this.#plan.abandon + this.#plan.cancel);
			const patience = this.#plan.patienceSeconds * 1000;
			const end = await channel.when((s) => s.data !== null && !isOpenState(s.data.state), patience).catch(() => null);
			if (!end?.data) {
				tally.outcome("still open");
			} else {
				const order = end.data;
				if (order.state === "READY") {
					const completed = this.#completedAt.get(orderId);
					if (completed !== undefined) tally.time("complete → READY seen", performance.now() - completed);
				}
				tally.outcome(outcomeOf(order));
			}
		} catch (error) {
			// Whatever went wrong, this order stays in the audit, which says what became of it.
			tally.error("attendee", error instanceof Error ? error.message : String(error));
			tally.outcome("no answer");
		} finally {
			channel.close();
		}
		return admission;
	}

	/** Reads the live menu, orders something from it, and perhaps changes their mind. */
	async #choose(api: ReturnType<typeof apiClient>, orderId: string, thenCancel: boolean): Promise<void> {
		const tally = this.#tally;
		let store: StoreView;
		try {
			store = await read(api.api.stores[":store"].$get({ param: { store: this.#plan.storeId } }, requestTimeout()));
		} catch (error) {
			tally.error("menu", refusalCode(error));
			return;
		}
		const choice = randomChoice(store.menu);
		if (!choice) {
			tally.error("submit", "nothing_available");
			return;
		}
		const started = performance.now();
		try {
			await read(
				api.api.orders[":id"].$put(
					{ param: { id: orderId }, json: { ...choice, name: pick(names) } },
					requestTimeout(),
				),
			);
			tally.time("submit", performance.now() - started);
		} catch (error) {
			tally.error("submit", refusalCode(error));
			return;
		}
		if (!thenCancel) return;
		await sleep(Math.random() * 2000);
		try {
			await read(api.api.orders[":id"].cancel.$post({ param: { id: orderId } }, requestTimeout()));
		} catch (error) {
			// A barista may have claimed it first: then it is made after all.
			tally.error("cancel", refusalCode(error));
		}
	}
}

function outcomeOf(order: Order) {
	switch (order.state) {
		case "READY":
			return "ready" as const;
		case "CANCELLED":
			return order.reason === "customer" ? ("cancelled by attendee" as const) : ("cancelled by barista/store" as const);
		case "TIMED_OUT":
			return order.reason === "customer_timeout" ? ("timed out (attendee)" as const) : ("timed out (barista)" as const);
		default:
			return "still open" as const;
	}
}

/** Orders some barista of this robot is on, so two robot baristas do not reach for the same cup. */
const taken = new Set<string>();

export class Barista {
	readonly channel: ReturnType<typeof staffChannel>;
	#plan: Plan;
	#tally: Tally;
	#token: string;
	#completedAt: Map<string, number>;
	#stopped = false;
	made = 0;

	constructor(plan: Plan, tally: Tally, token: string, completedAt: Map<string, number>) {
		this.#plan = plan;
		this.#tally = tally;
		this.#token = token;
		this.#completedAt = completedAt;
		this.channel = staffChannel(plan.url, plan.storeId, () => token);
	}

	stop(): void {
		this.#stopped = true;
	}

	/** Takes the oldest queued order, makes it, hands it over; waits for the queue when it is empty. */
	async work(): Promise<void> {
		const api = apiClient(this.#plan.url, () => this.#token);
		while (!this.#stopped) {
			const next = this.#nextOrder();
			if (!next) {
				await this.channel
					.when(
						(s) => this.#stopped || (s.data?.orders.some((o) => o.state === "QUEUED" && !taken.has(o.id)) ?? false),
						1000,
					)
					.catch(() => null);
				continue;
			}
			taken.add(next.id);
			try {
				await read(api.api.orders[":id"].claim.$post({ param: { id: next.id } }, requestTimeout()));
			} catch (error) {
				this.#tally.error("claim", refusalCode(error));
				// Refused: it was cancelled or timed out just now, and the board moves on. Unanswered: tap again.
				if (!(error instanceof ApiRefusal) || error.status >= 500) taken.delete(next.id);
				continue;
			}
			const pace = this.#plan.makeSeconds * 1000;
			await sleep(pace * (0.5 + Math.random()));
			await this.#complete(api, next.id);
		}
		this.channel.close();
	}

	/** Hands the drink over; a request that gets no answer is tried again, as a barista taps again. */
	async #complete(api: ReturnType<typeof apiClient>, orderId: string): Promise<void> {
		for (let attempt = 0; attempt < 10; attempt++) {
			this.#completedAt.set(orderId, performance.now());
			try {
				await read(api.api.orders[":id"].complete.$post({ param: { id: orderId } }, requestTimeout()));
				this.made++;
				return;
			} catch (error) {
				this.#tally.error("complete", refusalCode(error));
				// Refused (cancelled by the store, or a time-out): nothing left to hand over.
				if (error instanceof ApiRefusal && error.status < 500) return;
				await sleep(1000 * (attempt + 1));
			}
		}
	}

	#nextOrder(): Order | undefined {
		const orders = this.channel.state.data?.orders ?? [];
		return orders
			.filter((o) => o.state === "QUEUED" && !taken.has(o.id))
			.sort((a, b) => Date.parse(a.queuedAt ?? a.createdAt) - Date.parse(b.queuedAt ?? b.createdAt))[0];
	}
}
