import { evictDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { act, adminPin, admitted, attendee, call, createStore, scan, staff, submit } from "./helpers";
import { openSocket, refusedSocket } from "./sockets";

async function shop(settings: Record<string, unknown> = {}) {
	const store = await createStore(settings);
	return { store, barista: await staff(store.id) };
}

function expectNoGaps(messages: { version: number }[]) {
	const versions = messages.map((m) => m.version);
	versions.slice(1).forEach((v, i) => expect(v, `versions ${versions.join(",")}`).toBe(versions[i]! + 1));
}

describe("the attendee's order socket", () => {
	it("sends a snapshot, then every change of the order with versions that never skip", async () => {
		const { store, barista } = await shop();
		const { token, orderId } = await admitted(store.id, barista, "Ada");
		const live = await openSocket(`/api/orders/${orderId}/ws`, token);
		const snapshot = await live.next();
		expect(snapshot).toMatchObject({
			type: "snapshot",
			channel: "order",
			order: { id: orderId, state: "AWAITING_ORDER" },
		});

		await submit(orderId, token);
		await act(orderId, "claim", barista);
		await act(orderId, "complete", barista);
		const ready = await live.next((m) => m.order?.state === "READY");
		expect(ready).toMatchObject({ type: "order", order: { state: "READY", number: 1 } });
		const states = live.messages.map((m) => m.order.state);
		expect(states).toEqual(expect.arrayContaining(["AWAITING_ORDER", "QUEUED", "MAKING", "READY"]));
		expect(states.indexOf("QUEUED")).toBeLessThan(states.indexOf("MAKING"));
		expectNoGaps(live.messages);
	});

	it("tells a queued attendee their place and expected wait, and updates both as the queue moves", async () => {
		const { store, barista } = await shop();
		const first = await admitted(store.id, barista);
		const second = await admitted(store.id, barista);
		await submit(first.orderId, first.token);
		const queued = (await submit(second.orderId, second.token)).body.order;
		expect(queued).toMatchObject({ position: 2 });
		expect(queued.etaSeconds).toBeGreaterThan(0);

		const live = await openSocket(`/api/orders/${second.orderId}/ws`, second.token);
		expect((await live.next()).order).toMatchObject({ position: 2 });
		await act(first.orderId, "claim", barista);
		const moved = await live.next((m) => m.type === "order" && m.order.position === 1);
		expect(moved.order.etaSeconds).toBeLessThan(queued.etaSeconds!);
		expect((await call("GET", `/api/orders/${second.orderId}`, { token: second.token })).body.order.position).toBe(1);
	});

	it("keeps working after the object hibernates: the next change still arrives", async () => {
		const { store, barista } = await shop();
		const { token, orderId } = await admitted(store.id, barista);
		const live = await openSocket(`/api/orders/${orderId}/ws`, token);
		const first = await live.next();
		await evictDurableObject(env.ORDER.getByName(orderId));
		await submit(orderId, token);
		const after = await live.next((m) => m.type === "order");
		expect(after).toMatchObject({ version: first.version + 1, order: { state: "QUEUED" } });
	});

	it("gives a client that reconnects, or asks to resync, a snapshot with what it missed", async () => {
		const { store, barista } = await shop();
		const { token, orderId } = await admitted(store.id, barista);
		const before = await openSocket(`/api/orders/${orderId}/ws`, token);
		const seen = await before.next();
		before.socket.close(1000, "tunnel");
		await submit(orderId, token);
		await act(orderId, "claim", barista);

		const again = await openSocket(`/api/orders/${orderId}/ws`, token);
		const snapshot = await again.next();
		expect(snapshot).toMatchObject({ type: "snapshot", order: { state: "MAKING", version: 3 } });
		expect(snapshot.version).toBeGreaterThanOrEqual(seen.version);
		again.send({ type: "resync" });
		expect(await again.next((m) => m.type === "snapshot")).toMatchObject({
			version: snapshot.version,
			order: { state: "MAKING" },
		});
	});

	it("lets only the order's attendee, or its store's staff, open the socket", async () => {
		const { store, barista } = await shop();
		const { orderId } = await admitted(store.id, barista);
		const stranger = await attendee();
		const elsewhere = await staff((await createStore()).id);
		expect((await refusedSocket(`/api/orders/${orderId}/ws`, stranger.token)).status).toBe(404);
		expect((await refusedSocket(`/api/orders/${orderId}/ws`, elsewhere)).status).toBe(404);
		expect((await refusedSocket(`/api/orders/${orderId}/ws`)).status).toBe(401);
		expect((await refusedSocket(`/api/orders/${orderId}/ws`, "forged.token.here")).status).toBe(401);
		const staffView = await openSocket(`/api/orders/${orderId}/ws`, barista);
		expect((await staffView.next()).order.id).toBe(orderId);
	});

	it("answers pings, rejects malformed and oversized messages, and stays up for everyone else", async () => {
		const { store, barista } = await shop();
		const { token, orderId } = await admitted(store.id, barista);
		const one = await openSocket(`/api/orders/${orderId}/ws`, token);
		const other = await openSocket(`/api/orders/${orderId}/ws`, token);
		await one.next();
		await other.next();
		one.send("ping");
		expect(await one.next((m) => m === "pong")).toBe("pong");
		one.send("{not json");
		expect(await one.next((m) => m.type === "error")).toMatchObject({ code: "invalid_message" });
		one.send({ type: "resync", padding: "x".repeat(5000) });
		expect((await one.closed).code).toBe(1009);
		await submit(orderId, token);
		expect(await other.next((m) => m.type === "order")).toMatchObject({ order: { state: "QUEUED" } });
	});
});

describe("the store socket", () => {
	it("shows baristas every order of their store as it changes", async () => {
		const { store, barista } = await shop();
		const tablet = await openSocket(`/api/stores/${store.id}/ws`, barista);
		const snapshot = await tablet.next();
		expect(snapshot).toMatchObject({
			type: "snapshot",
			channel: "staff",
			view: { store: { id: store.id }, orders: [] },
		});
		expect(snapshot.view.qr.code).toMatch(/^[A-Za-z0-9_-]{22}$/);

		const { token, orderId } = await admitted(store.id, barista, "Grace Hopper");
		await submit(orderId, token);
		await act(orderId, "claim", barista);
		const making = await tablet.next((m) => m.type === "order" && m.order.state === "MAKING");
		expect(making.order).toMatchObject({ id: orderId, name: "Grace Hopper", drink: { id: "latte" } });
		expectNoGaps(tablet.messages);
	});

	it("keeps the public board to numbers and first names, and gives the QR code only to the signed-in display", async () => {
		const { store, barista } = await shop();
		const board = await openSocket(`/api/stores/${store.id}/ws`);
		const display = await openSocket(`/api/stores/${store.id}/ws?role=display`, barista);
		const boardSnapshot = await board.next();
		const displaySnapshot = await display.next();
		expect(boardSnapshot.board.qr).toMatchObject({ code: null, url: null, tokensLeft: 10 });
		expect(displaySnapshot.board.qr.code).toMatch(/^[A-Za-z0-9_-]{22}$/);
		expect(displaySnapshot.board.qr.url).toContain(`/order?store=${store.id}&code=`);

		const person = await admitted(store.id, barista, "Grace Brewster Hopper");
		await submit(person.orderId, person.token);
		await act(person.orderId, "claim", barista);
		await act(person.orderId, "complete", barista);
		expect(await board.next((m) => m.type === "ticket")).toMatchObject({
			number: 1,
			ticket: { state: "preparing", name: "Grace" },
		});
		const ready = await board.next((m) => m.type === "ticket" && m.ticket?.state === "ready");
		expect(ready).toMatchObject({ number: 1, ticket: { number: 1, name: "Grace", state: "ready" } });
		const tokens = await display.next((m) => m.type === "qr" && m.qr.tokensLeft === 9);
		expect(tokens.qr.code).toBe(displaySnapshot.board.qr.code);

		const everything = JSON.stringify(board.messages);
		expect(everything).not.toContain(person.userId);
		expect(everything).not.toContain("Hopper");
		expect(everything).not.toContain(displaySnapshot.board.qr.code);
		expectNoGaps(board.messages);
	});

	it("shows the store closing and opening on the board", async () => {
		const { store, barista } = await shop();
		const board = await openSocket(`/api/stores/${store.id}/ws?role=board`);
		await board.next();
		await call("PATCH", `/api/stores/${store.id}`, { token: barista, body: { open: false } });
		expect(await board.next((m) => m.type === "store")).toMatchObject({ store: { open: false } });
		expect(await board.next((m) => m.type === "qr")).toMatchObject({ qr: null });
		await call("PATCH", `/api/stores/${store.id}`, { token: barista, body: { open: true } });
		expect(await board.next((m) => m.type === "qr" && m.qr !== null)).toMatchObject({ qr: { tokensLeft: 10 } });
	});

	it("rotates the code on the display when the window ends", async () => {
		const { store, barista } = await shop({ codeWindowSeconds: 10 });
		const display = await openSocket(`/api/stores/${store.id}/ws?role=display`, barista);
		const first = (await display.next()).board.qr;
		const rotated = await display.next((m) => m.type === "qr" && m.qr && m.qr.code !== first.code);
		expect(Date.parse(rotated.qr.startsAt)).toBeGreaterThanOrEqual(Date.parse(first.expiresAt));
		const old = await scan(store.id, (await attendee()).token, first.code);
		expect(old.status).toBe(410);
		expect((await scan(store.id, (await attendee()).token, rotated.qr.code)).status).toBe(201);
	}, 30_000);

	it("rebuilds its sockets after hibernation from their attachments", async () => {
		const { store, barista } = await shop();
		const admin = await staff(store.id, adminPin);
		const board = await openSocket(`/api/stores/${store.id}/ws`);
		const tablet = await openSocket(`/api/stores/${store.id}/ws`, admin);
		const boardFirst = await board.next();
		await tablet.next();
		await evictDurableObject(env.STORE.getByName(store.id));

		const { token, orderId } = await admitted(store.id, barista);
		await submit(orderId, token);
		const ticket = await board.next((m) => m.type === "ticket");
		expect(ticket.version).toBeGreaterThan(boardFirst.version);
		expect(await tablet.next((m) => m.type === "order" && m.order.state === "QUEUED")).toMatchObject({
			order: { id: orderId },
		});
		// The board socket is still a board after waking: it still gets no code.
		tablet.send({ type: "resync" });
		expect(await tablet.next((m) => m.type === "snapshot")).toMatchObject({ channel: "staff" });
		board.send({ type: "resync" });
		expect((await board.next((m) => m.type === "snapshot")).board.qr.code).toBeNull();
	});

	it("refuses the display role without a staff session, and sockets on unknown stores", async () => {
		const { store } = await shop();
		expect((await refusedSocket(`/api/stores/${store.id}/ws?role=display`)).status).toBe(401);
		const person = await attendee();
		expect((await refusedSocket(`/api/stores/${store.id}/ws?role=display`, person.token)).status).toBe(403);
		expect((await refusedSocket(`/api/stores/nowhere/ws`)).status).toBe(404);
		expect((await refusedSocket(`/api/stores/${store.id}/ws?role=kitchen`)).status).toBe(400);
		const plain = await call("GET", `/api/stores/${store.id}/ws`);
		expect([plain.status, plain.body.error.code]).toEqual([426, "upgrade_required"]);
	});
});
