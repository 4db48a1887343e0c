import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { boardChannel, LiveChannel, orderChannel, staffChannel, type Network, type Timers } from "#client/live.ts";
import type { Board } from "#contract/live.ts";
import { act, admitted, createStore, staff, submit } from "./helpers";

/**
 * The browser's WebSocket, for the client library under test, connected through the Worker in this
 * isolate (tests cannot dial out). Opening, subprotocols, messages and closing behave as in a browser. `cut()`
 * plays a link that died without a word: nothing arrives, nothing leaves, and no close event comes (as on
 * venue Wi-Fi); `deliverLate()` then lets through what was held back, as a link that comes back to life would.
 */
class WorkerWebSocket extends EventTarget {
	static readonly OPEN = 1;
	/** Every socket opened, oldest first. */
	static opened: WorkerWebSocket[] = [];
	readonly OPEN = 1;
	readyState = 0;
	/** Every message it was sent by the server, held back ones included. */
	readonly received: string[] = [];
	#socket: WebSocket | null = null;
	#cut = false;
	#held: Event[] = [];

	constructor(url: string, protocols: string[] = []) {
		super();
		WorkerWebSocket.opened.push(this);
		const headers: Record<string, string> = { upgrade: "websocket" };
		if (protocols.length > 0) headers["sec-websocket-protocol"] = protocols.join(", ");
		void exports.default.fetch(new Request(url.replace(/^ws/, "http"), { headers })).then((response) => {
			const socket = response.webSocket;
			// As a browser does: a handshake that selects none of the offered subprotocols fails.
			const selected = response.headers.get("sec-websocket-protocol");
			if (!socket || (protocols.length > 0 && !protocols.includes(selected ?? ""))) {
				this.readyState = 3;
				this.dispatchEvent(new CloseEvent("close", { code: 1006 }));
				return;
			}
			socket.accept();
			this.#socket = socket;
			this.readyState = 1;
			socket.addEventListener("message", (event) => {
				this.received.push(event.data as string);
				this.#deliver(new MessageEvent("message", { data: event.data }));
			});
			socket.addEventListener("close", (event) => this.#closed(event.code));
			this.dispatchEvent(new Event("open"));
		});
	}

	send(data: string): void {
		if (!this.#cut) this.#socket?.send(data);
	}

	close(code = 1000, reason = ""): void {
		if (this.#cut) return;
		this.#socket?.close(code, reason);
		this.#closed(code);
	}

	cut(): void {
		this.#cut = true;
	}

	/** The held-back messages, then `extra` ones, then the close the dead link never delivered. */
	deliverLate(extra: string[] = []): void {
		for (const event of [...this.#held, ...extra.map((data) => new MessageEvent("message", { data }))])
			this.dispatchEvent(event);
		this.#held = [];
		this.dispatchEvent(new CloseEvent("close", { code: 1006 }));
	}

	#deliver(event: Event): void {
		if (this.#cut) this.#held.push(event);
		else this.dispatchEvent(event);
	}

	#closed(code: number): void {
		if (this.readyState === 3) return;
		this.readyState = 3;
		this.#deliver(new CloseEvent("close", { code }));
	}
}

/** A clock that moves only when the test says so: timers run in order of their due time. */
class ManualClock implements Timers {
	#now = Date.parse("2026-06-01T09:00:00Z");
	#next = 1;
	#due = new Map<number, { at: number; run: () => void }>();

	now(): number {
		return this.#now;
	}

	setTimeout(run: () => void, ms: number): number {
		const id = this.#next++;
		this.#due.set(id, { at: this.#now + ms, run });
		return id;
	}

	clearTimeout(timer: unknown): void {
		this.#due.delete(timer as number);
	}

	advance(ms: number): void {
		const end = this.#now + ms;
		for (;;) {
			const [id, first] =
				[...this.#due].filter(([, timer]) => timer.at <= end).sort(([, a], [, b]) => a.at - b.at)[0] ?? [];
			if (id === undefined || !first) break;
			this.#due.delete(id);
			this.#now = first.at;
			first.run();
		}
		this.#now = end;
	}
}

/** The browser's `online` / `offline` events, played by the test. */
class FakeNetwork extends EventTarget implements Network {
	onLine = true;

	go(onLine: boolean): void {
		this.onLine = onLine;
		this.dispatchEvent(new Event(onLine ? "online" : "offline"));
	}
}

const base = "https://edgepresso.test";
const options = {
	WebSocket: WorkerWebSocket as unknown as typeof WebSocket,
	minDelayMs: 20,
	maxDelayMs: 200,
	network: null,
};

describe("the live client library", () => {
	it("follows an order to READY and exposes it as an observable", async () => {
		const store = await createStore();
		const barista = await staff(store.id);
		const { token, orderId } = await admitted(store.id, barista);
		const channel = orderChannel(base, orderId, () => token, options);
		const seen: string[] = [];
		const unsubscribe = channel.subscribe((s) => s.data && seen.at(-1) !== s.data.state && seen.push(s.data.state));
		await channel.when((s) => s.data?.state === "AWAITING_ORDER");
		await submit(orderId, token);
		await act(orderId, "claim", barista);
		await act(orderId, "complete", barista);
		await channel.when((s) => s.data?.state === "READY");
		expect(seen).toEqual(["AWAITING_ORDER", "QUEUED", "MAKING", "READY"]);
		unsubscribe();
		channel.close();
		expect(channel.state.status).toBe("closed");
	});

	it("reconnects after a drop and catches up by snapshot", async () => {
		const store = await createStore();
		const barista = await staff(store.id);
		const { token, orderId } = await admitted(store.id, barista);
		const tablet = staffChannel(base, store.id, () => barista, options);
		await tablet.when((s) => s.status === "live" && s.data !== null);
		tablet.drop();
		expect(tablet.state.status).toBe("reconnecting");
		await submit(orderId, token);
		await act(orderId, "claim", barista);
		const caughtUp = await tablet.when((s) => s.data?.orders.find((o) => o.id === orderId)?.state === "MAKING");
		expect(caughtUp.status).toBe("live");
		expect(caughtUp.since).toBeNull();
		tablet.close();
	});

	it("asks for a snapshot when it sees a gap in the versions", async () => {
		const store = await createStore();
		const barista = await staff(store.id);
		const received: string[] = [];
		const board = boardChannel(base, store.id, undefined, { ...options, onMessage: (m) => received.push(m.type) });
		const first = await board.when((s) => s.data !== null);
		// Pretend messages were lost: the state the client holds is older than the next message follows.
		Object.assign(board.state, { version: first.version - 5 });
		const { token, orderId } = await admitted(store.id, barista);
		await submit(orderId, token);
		const healed = await board.when((s) => s.data!.tickets.some((t) => t.state === "preparing"));
		expect(healed.version).toBeGreaterThan(first.version);
		// The first delta after the gap was not applied: a second snapshot brought the board up to date.
		expect(received.filter((type) => type === "snapshot")).toHaveLength(2);
		board.close();
	});

	it("says reconnecting as soon as a ping goes unanswered, and opens a new socket without waiting for the dead one's close", async () => {
		const store = await createStore();
		const barista = await staff(store.id);
		const { token, orderId } = await admitted(store.id, barista);
		const clock = new ManualClock();
		WorkerWebSocket.opened = [];
		const tablet = staffChannel(base, store.id, () => barista, {
			...options,
			timers: clock,
			pingIntervalMs: 4000,
			pingTimeoutMs: 4000,
		});
		const live = await tablet.when((s) => s.status === "live");
		const dead = WorkerWebSocket.opened[0]!;

		// The link dies silently: the ping goes out into nothing, and its deadline is what notices.
		dead.cut();
		clock.advance(4000);
		expect(tablet.state.status).toBe("live");
		clock.advance(3999);
		expect(tablet.state.status).toBe("live");
		clock.advance(1);
		expect(tablet.state.status).toBe("reconnecting");
		expect(tablet.state.since).toBe(clock.now());
		expect(WorkerWebSocket.opened).toHaveLength(2);

		// The new socket catches up by snapshot with what happened meanwhile.
		await submit(orderId, token);
		await act(orderId, "claim", barista);
		const caughtUp = await tablet.when(
			(s) => s.status === "live" && s.data?.orders.find((o) => o.id === orderId)?.state === "MAKING",
		);
		expect(caughtUp.since).toBeNull();

		// The dead link comes back to life late: what it held, an old snapshot and its close change nothing.
		dead.deliverLate([dead.received[0]!]);
		expect(tablet.state).toBe(caughtUp);
		expect(tablet.state.version).toBeGreaterThan(live.version);
		tablet.close();
	});

	it("keeps pinging a live link and stays live while pongs come back", async () => {
		const store = await createStore();
		const barista = await staff(store.id);
		const clock = new ManualClock();
		WorkerWebSocket.opened = [];
		const tablet = staffChannel(base, store.id, () => barista, { ...options, timers: clock });
		await tablet.when((s) => s.status === "live");
		const socket = WorkerWebSocket.opened[0]!;
		for (let ping = 1; ping <= 3; ping++) {
			clock.advance(4000);
			await expect.poll(() => socket.received.filter((m) => m === "pong").length).toBe(ping);
		}
		clock.advance(4000);
		expect(tablet.state.status).toBe("live");
		expect(WorkerWebSocket.opened).toHaveLength(1);
		tablet.close();
	});

	it("says offline when the browser does, and reconnects at once when it is back online", async () => {
		const store = await createStore();
		const barista = await staff(store.id);
		const { token, orderId } = await admitted(store.id, barista);
		const clock = new ManualClock();
		const network = new FakeNetwork();
		WorkerWebSocket.opened = [];
		const tablet = staffChannel(base, store.id, () => barista, { ...options, timers: clock, network });
		await tablet.when((s) => s.status === "live");

		network.go(false);
		expect(tablet.state.status).toBe("offline");
		expect(tablet.state.since).toBe(clock.now());
		await submit(orderId, token);

		// No clock moves: the `online` event alone starts the new socket, which catches up by snapshot.
		network.go(true);
		expect(tablet.state.status).toBe("reconnecting");
		expect(WorkerWebSocket.opened).toHaveLength(2);
		const back = await tablet.when((s) => s.status === "live");
		expect(back.data?.orders.find((o) => o.id === orderId)?.state).toBe("QUEUED");
		tablet.close();
	});

	it("starts offline when the browser already is, and connects once it is online", async () => {
		const store = await createStore();
		const clock = new ManualClock();
		const network = new FakeNetwork();
		network.onLine = false;
		WorkerWebSocket.opened = [];
		const board = boardChannel(base, store.id, undefined, { ...options, timers: clock, network });
		expect(board.state.status).toBe("offline");
		expect(WorkerWebSocket.opened).toHaveLength(0);
		network.go(true);
		await board.when((s) => s.status === "live" && s.data !== null);
		board.close();
	});

	it("asks a function, which may be async, for its socket's address on every (re)connect", async () => {
		const store = await createStore();
		const asked: string[] = [];
		const board = new LiveChannel<Board, never>(
			{
				...options,
				endpoint: async () => {
					const url = `wss://edgepresso.test/api/stores/${store.id}/ws?role=board`;
					asked.push(url);
					return { url, protocols: [] };
				},
			},
			(snapshot) => snapshot.board as Board,
			() => null,
		);
		await board.when((s) => s.status === "live");
		board.drop();
		await board.when((s) => s.status === "live");
		expect(asked).toHaveLength(2);
		board.close();
	});
});
