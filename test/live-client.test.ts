import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { boardChannel, orderChannel, staffChannel } from "../apps/client/live";
import { act, admitted, createStore, staff, submit } from "./helpers";

/**
 * The browser's WebSocket, for the client library under test, connected through the Worker in this
 * isolate (tests cannot dial out). Opening, subprotocols, messages and closing behave as in a browser.
 */
class WorkerWebSocket extends EventTarget {
	static readonly OPEN = 1;
	readonly OPEN = 1;
	readyState = 0;
	#socket: WebSocket | null = null;

	constructor(url: string, protocols: string[] = []) {
		super();
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
			socket.addEventListener("message", (event) => this.dispatchEvent(new MessageEvent("message", { data: event.data })));
			socket.addEventListener("close", (event) => this.#closed(event.code));
			this.dispatchEvent(new Event("open"));
		});
	}

	send(data: string): void {
		this.#socket?.send(data);
	}

	close(code = 1000, reason = ""): void {
		this.#socket?.close(code, reason);
		this.#closed(code);
	}

	#closed(code: number): void {
		if (this.readyState === 3) return;
		this.readyState = 3;
		this.dispatchEvent(new CloseEvent("close", { code }));
	}
}

const base = "https://edgepresso.test";
const options = { WebSocket: WorkerWebSocket as unknown as typeof WebSocket, minDelayMs: 20, maxDelayMs: 200 };

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
		await tablet.when((s) => s.status === "open" && s.data !== null);
		tablet.drop();
		await submit(orderId, token);
		await act(orderId, "claim", barista);
		const caughtUp = await tablet.when((s) => s.data?.orders.find((o) => o.id === orderId)?.state === "MAKING");
		expect(caughtUp.status).toBe("open");
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
});
