import type { Actor } from "#contract/actor.ts";
import { fail } from "#contract/errors.ts";
import { isRemembered, type IdempotencyKey, type Replayable } from "#contract/idempotency.ts";
import type { Order, SubmitOrderBody } from "#contract/order.ts";

/**
 * A walk-up across two objects: the store admits it (a capacity slot, an order row), then the order takes
 * the drink and joins the queue. With an Idempotency-Key a repeat gets the same order back from the store,
 * then its remembered answer from the order. A refusal from either is the answer.
 */
export async function openWalkUp(
	env: Env,
	storeId: string,
	staff: Actor,
	body: SubmitOrderBody,
	key?: IdempotencyKey,
): Promise<Replayable<Order>> {
	const opened = (await env.STORE.getByName(storeId).walkUp(staff, body, key)) as Replayable<{ orderId: string }>;
	if (!opened.ok) return opened;
	const order = env.ORDER.getByName(opened.value.orderId);
	const queued = (await order.submit(staff, body, key)) as Replayable<Order>;
	if (!queued.ok) {
		// Between the two steps the drink went off the menu, or the order object was out of reach: the order must
		// not hold its slot until its timer ends it, unless a retry of the same key is to finish this very order.
		if (!key || isRemembered(queued)) await order.act(staff, "cancel").catch(() => undefined);
		if (queued.code === "order_not_found")
			return fail("unavailable", "The order could not be opened: please try again.");
	}
	return queued;
}
