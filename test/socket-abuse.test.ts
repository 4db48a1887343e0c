import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { floodCloseCode, floodCloseReason, resyncGapMs } from "#contract/live.ts";
import { adminPin, admitted, call, createStore, display, staff } from "./helpers";
import { openSocket, refusedSocket, upgrade } from "./sockets";
import { until } from "./until";

const cap = Number(env.BOARD_SOCKETS_PER_NETWORK);
const from = (ip: string) => ({ "cf-connecting-ip": ip });

/** The status of an upgrade; a socket that opens is closed again at once. */
async function upgradeStatus(path: string, headers: Record<string, string>): Promise<number> {
	const response = await upgrade(path, undefined, headers);
	if (response.webSocket) {
		response.webSocket.accept();
		response.webSocket.close(1000, "probe");
	} else {
		await response.body?.cancel();
	}
	return response.status;
}

/** The snapshot on connect, one answered at once, then at most one per `resyncGapMs` since `startedAt`. */
function snapshotsAllowed(startedAt: number): number {
	return 2 + Math.ceil((Date.now() - startedAt) / resyncGapMs);
}

describe("sockets that cannot be turned into a weapon", () => {
	it("cuts off a board socket flooding 1,500 resyncs, while the store, its display and its other sockets keep answering", async () => {
		const store = await createStore();
		const barista = await staff(store.id);
		const tv = await openSocket(`/api/stores/${store.id}/ws?role=display`, await display(store.id, barista));
		const neighbour = await openSocket(`/api/stores/${store.id}/ws`);
		const flood = await openSocket(`/api/stores/${store.id}/ws`);
		await Promise.all([tv.next(), neighbour.next(), flood.next()]);

		const startedAt = Date.now();
		const resync = JSON.stringify({ type: "resync" });
		for (let i = 0; i < 1500; i++) flood.send(resync);
		// The store answers reads and its staff while the flood is on.
		expect((await call("GET", `/api/stores/${store.id}`)).status).toBe(200);
		expect((await call("PATCH", `/api/stores/${store.id}`, { token: barista, body: { paused: true } })).status).toBe(
			200,
		);
		expect((await tv.next((m) => m.type === "store")).store.paused).toBe(true);
		expect((await neighbour.next((m) => m.type === "store")).store.paused).toBe(true);

		const closed = await flood.closed;
		expect([closed.code, closed.reason]).toEqual([floodCloseCode, floodCloseReason]);
		expect(flood.messages.filter((m) => m.type === "snapshot").length).toBeLessThanOrEqual(snapshotsAllowed(startedAt));
		// The legitimate screens stay connected and keep getting every change.
		await call("PATCH", `/api/stores/${store.id}`, { token: barista, body: { paused: false } });
		const { token, orderId } = await admitted(store.id, barista, "Ada");
		await call("PUT", `/api/orders/${orderId}`, { token, body: { drink: "latte" } });
		expect((await tv.next((m) => m.type === "ticket")).ticket).toMatchObject({ name: "Ada", state: "preparing" });
		expect((await neighbour.next((m) => m.type === "ticket")).ticket.name).toBe("Ada");
		tv.send({ type: "resync" });
		expect((await tv.next((m) => m.type === "snapshot")).board.tickets).toHaveLength(1);
	});

	it("answers a burst of resyncs with one snapshot a second, never one per request", async () => {
		const store = await createStore();
		const barista = await staff(store.id);
		const { token, orderId } = await admitted(store.id, barista);
		const order = await openSocket(`/api/orders/${orderId}/ws`, token);
		const tablet = await openSocket(`/api/stores/${store.id}/ws`, barista);
		await Promise.all([order.next(), tablet.next()]);
		const startedAt = Date.now();
		for (let i = 0; i < 10; i++) {
			order.send({ type: "resync" });
			tablet.send({ type: "resync" });
		}
		// Every burst is answered: the clients are not left waiting for their snapshot.
		await order.next((m) => m.type === "snapshot");
		await tablet.next((m) => m.type === "snapshot");
		// A change sent after the answers arrives after them: nothing else was queued behind.
		await call("PATCH", `/api/stores/${store.id}`, { token: barista, body: { paused: true } });
		await tablet.next((m) => m.type === "store");
		for (const socket of [order, tablet]) {
			expect(socket.messages.filter((m) => m.type === "snapshot").length).toBeLessThanOrEqual(
				snapshotsAllowed(startedAt),
			);
		}
		expect(order.messages.filter((m) => m.type === "snapshot").length).toBeLessThan(10);
	});

	it("caps public board sockets per network per store with a 429 before the upgrade; displays, other networks and other stores are not affected", async () => {
		const store = await createStore();
		const other = await createStore();
		const barista = await staff(store.id);
		const boards = [];
		for (let i = 0; i < cap; i++)
			boards.push(await openSocket(`/api/stores/${store.id}/ws`, undefined, from("203.0.113.60")));
		const refused = await refusedSocket(`/api/stores/${store.id}/ws`, undefined, from("203.0.113.60"));
		expect([refused.status, refused.body.error.code]).toEqual([429, "rate_limited"]);
		expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);

		await openSocket(`/api/stores/${store.id}/ws`, undefined, from("203.0.113.61"));
		await openSocket(`/api/stores/${other.id}/ws`, undefined, from("203.0.113.60"));
		const tv = await openSocket(
			`/api/stores/${store.id}/ws?role=display`,
			await display(store.id, barista),
			from("203.0.113.60"),
		);
		expect((await tv.next()).board.qr.code).toBeTruthy();
		const staffDisplay = await openSocket(`/api/stores/${store.id}/ws?role=display`, barista, from("203.0.113.60"));
		expect((await staffDisplay.next()).board.qr.code).toBeTruthy();
		const admin = await openSocket(`/api/stores/${store.id}/ws`, await staff(store.id, adminPin), from("203.0.113.60"));
		expect((await admin.next()).channel).toBe("staff");

		// A board that closes frees its place.
		boards[0]!.socket.close(1000, "done");
		await until(async () => (await upgradeStatus(`/api/stores/${store.id}/ws`, from("203.0.113.60"))) === 101, 50);
	});

	it("counts an IPv6 client's board sockets by its /64", async () => {
		const store = await createStore();
		for (let i = 1; i <= cap; i++)
			await openSocket(`/api/stores/${store.id}/ws`, undefined, from(`2001:db8:5:6::${i.toString(16)}`));
		expect((await refusedSocket(`/api/stores/${store.id}/ws`, undefined, from("2001:db8:5:6:ffff::1"))).status).toBe(
			429,
		);
		await openSocket(`/api/stores/${store.id}/ws`, undefined, from("2001:db8:5:7::1"));
	});
});
