import { forgottenUserId, walkUpUserId } from "#contract/order.ts";
import { attendeeDirectory } from "../attendees/directory";
import type { Region } from "#contract/store.ts";
import type { Timers } from "../blocks/timers";
import { placement } from "./placement";
import type { OrderStart } from "./admission";
import type { StoreOrders } from "./orders";
import type { Screens } from "./screens";

/**
 * The calls the store makes to its orders' objects: starting a workflow (and recording the admission in the
 * attendee directory), cancelling what a "close and cancel" left open, ending a burst. What fails is retried
 * from the alarm, so no admitted order is left without its workflow and no closing order stays open.
 */
export class OrderCalls {
	#env: () => Env;
	#orders: StoreOrders;
	#timers: Pick<Timers<"start_orders" | "close_orders">, "setNoLaterThan">;
	#screens: Pick<Screens, "order">;
	#region: () => Region | undefined;

	/** `env` and `region` are read on every call, so the bindings and the region in use are always current. */
	constructor(
		env: () => Env,
		orders: StoreOrders,
		timers: Pick<Timers<"start_orders" | "close_orders">, "setNoLaterThan">,
		screens: Pick<Screens, "order">,
		region: () => Region | undefined,
	) {
		this.#env = env;
		this.#region = region;
		this.#orders = orders;
		this.#timers = timers;
		this.#screens = screens;
	}

	/**
	 * Starts the order's workflow and records the admission in the attendee directory (so "forget me" finds
	 * the order before D1 does); `started` is set once both hold. What fails, the alarm keeps trying.
	 */
	async start(start: OrderStart): Promise<void> {
		try {
			const attendee = start.userId === walkUpUserId || start.userId === forgottenUserId ? null : start.userId;
			const [order] = await Promise.all([
				// Its first call creates the order's object: near the store's venue.
				this.#env().ORDER.getByName(start.orderId, placement(this.#region())).start(start),
				attendee && attendeeDirectory(this.#env(), attendee).record(attendee, start.storeId),
			]);
			this.#orders.started(start.orderId, order);
			if (order.version === 1) this.#screens.order(undefined, order);
		} catch (error) {
			console.warn(
				`store ${start.storeId}: could not start or record order ${start.orderId} (${String(error)}); retrying`,
			);
			this.#timers.setNoLaterThan("start_orders", Date.now() + 2000);
		}
	}

	/** The `start_orders` timer: every order not yet started, finished ones too (one can end before it is recorded). */
	async startPending(storeId: string): Promise<void> {
		for (const row of this.#orders.unstarted()) {
			const {
				order_id: orderId,
				user_id: userId,
				name,
				created_at: createdAt,
				customer_deadline: customerDeadline,
			} = row;
			await this.start({ orderId, storeId, userId, name, createdAt, customerDeadline });
		}
	}

	/** Cancels the orders a "close and cancel" left open; what fails is retried from the alarm. */
	async cancelClosing(): Promise<void> {
		const ids = this.#orders.closing();
		const results = await Promise.allSettled(ids.map((id) => this.#env().ORDER.getByName(id).closeByStore()));
		results.forEach((result, i) => {
			if (result.status === "fulfilled") this.#orders.closed(ids[i]!);
		});
		if (results.some((result) => result.status === "rejected"))
			this.#timers.setNoLaterThan("close_orders", Date.now() + 5000);
	}

	/**
	 * Ends those of `asked` (what a tablet showed) that are in `burst` now; one whose drink was chosen meanwhile
	 * refuses and is kept. Each ended order frees its capacity slot, and gives its token back (Admission.ended).
	 */
	async endBurst(burst: string[], asked: string[]): Promise<{ ended: number; kept: number }> {
		const ids = [...new Set(asked)];
		const targets = ids.filter((id) => burst.includes(id));
		const results = await Promise.allSettled(targets.map((id) => this.#env().ORDER.getByName(id).endBurst()));
		const ended = results.filter((r) => r.status === "fulfilled" && r.value.ok).length;
		return { ended, kept: ids.length - ended };
	}
}
