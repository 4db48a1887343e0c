import { ApiRefusal, apiClient, read } from "#client/api.ts";
import { staffChannel } from "#client/live.ts";
import type { Order } from "#contract/order.ts";
import { isOpenState } from "#contract/moves.ts";
import type { Admission } from "./people";

/**
 * The lost-order audit. Every order the robot was admitted with must, at the end, be in a final state, or
 * honestly open (its timer still running), in its OrderDO (the truth); the StoreDO must agree with it; and,
 * once the event queue has drained, so must the D1 read model. Anything else is a lost order.
 */

export interface AuditResult {
	checked: number;
	finished: number;
	/** Open with a timer still running: the robot stopped waiting, nothing is wrong. */
	honestlyOpen: number;
	lost: { orderId: string; problem: string }[];
	/** Orders in D1 for this store that no robot attendee was admitted with (only for a store the robot made). */
	unknownInD1: string[];
	/** Attendee sockets whose last message was older than the order (a missed final update). */
	socketsBehind: number;
	/** Seconds until D1 agreed with every order. */
	d1Seconds: number | null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function inBatches<T, R>(items: T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
	const out: R[] = [];
	for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(work))));
	return out;
}

export async function audit(options: {
	url: string;
	storeId: string;
	staffToken: string;
	admissions: Admission[];
	ownStore: boolean;
	drainSeconds: number;
	onStep: (step: string) => void;
}): Promise<AuditResult> {
	const { url, storeId, staffToken, admissions } = options;
	const api = apiClient(url, () => staffToken);
	const lost = new Map<string, string>();
	const truth = new Map<string, Order>();

	options.onStep("asking each OrderDO");
	await inBatches(admissions, 16, async ({ orderId }) => {
		try {
			truth.set(orderId, (await read(api.api.orders[":id"].$get({ param: { id: orderId } }))).order);
		} catch (error) {
			lost.set(orderId, `its OrderDO does not answer (${error instanceof ApiRefusal ? error.code : String(error)})`);
		}
	});
	let honestlyOpen = 0;
	let socketsBehind = 0;
	for (const admission of admissions) {
		const order = truth.get(admission.orderId);
		if (!order) continue;
		if (isOpenState(order.state)) {
			if (order.expiresAt && Date.parse(order.expiresAt) > Date.now()) honestlyOpen++;
			else lost.set(order.id, `${order.state} past its deadline (${order.expiresAt ?? "none"}): no timer ended it`);
		}
		if (!admission.seen || admission.seen.version < order.version) socketsBehind++;
	}

	// The store's own record of each order, as its staff socket shows it.
	options.onStep("comparing with the StoreDO");
	const deadline = Date.now() + options.drainSeconds * 1000;
	for (;;) {
		const channel = staffChannel(url, storeId, () => staffToken);
		const view = (await channel.when((s) => s.data !== null, 60_000).finally(() => channel.close())).data!;
		const inStore = new Map(view.orders.map((o) => [o.id, o]));
		const disagreements = new Map<string, string>();
		for (const [id, order] of truth) {
			const stored = inStore.get(id);
			if (!stored) disagreements.set(id, `missing from the StoreDO's orders`);
			else if (stored.state !== order.state || stored.version !== order.version) {
				disagreements.set(
					id,
					`the StoreDO says ${stored.state} v${stored.version}, the OrderDO ${order.state} v${order.version}`,
				);
			}
		}
		if (disagreements.size === 0 || Date.now() > deadline) {
			for (const [id, problem] of disagreements) lost.set(id, problem);
			break;
		}
		await sleep(1000);
	}

	// The D1 read model, once the queue has delivered everything.
	options.onStep("waiting for D1 to agree");
	const started = Date.now();
	let d1Seconds: number | null = null;
	let unknownInD1: string[] = [];
	for (;;) {
		const projected = new Map<string, Order>();
		let before: string | undefined;
		do {
			const page = await read(
				api.api.stores[":store"].orders.$get({
					param: { store: storeId },
					query: { limit: "200", ...(before ? { before } : {}) },
				}),
			);
			for (const order of page.orders) projected.set(order.id, order);
			before = page.next ?? undefined;
		} while (before);
		const disagreements = new Map<string, string>();
		for (const [id, order] of truth) {
			const row = projected.get(id);
			if (!row) disagreements.set(id, "missing from D1 after the queue drained");
			else if (row.state !== order.state || row.version !== order.version) {
				disagreements.set(id, `D1 says ${row.state} v${row.version}, the OrderDO ${order.state} v${order.version}`);
			}
		}
		if (options.ownStore) unknownInD1 = [...projected.keys()].filter((id) => !truth.has(id) && !lost.has(id));
		if (disagreements.size === 0) {
			d1Seconds = (Date.now() - started) / 1000;
			break;
		}
		if (Date.now() > deadline) {
			for (const [id, problem] of disagreements) if (!lost.has(id)) lost.set(id, problem);
			break;
		}
		await sleep(1000);
	}

	const finished = [...truth.values()].filter((o) => !isOpenState(o.state)).length;
	return {
		checked: admissions.length,
		finished,
		honestlyOpen,
		lost: [...lost].map(([orderId, problem]) => ({ orderId, problem })),
		unknownInD1,
		socketsBehind,
		d1Seconds,
	};
}
