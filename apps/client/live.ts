import {
	pingMessage,
	pongMessage,
	type Board,
	type BoardMessage,
	type OrderMessage,
	socketProtocol,
	type ServerMessage,
	type StaffMessage,
	type StaffView,
	type StoreRole,
} from "../../workers/contract/live";
import type { Order } from "../../workers/contract/order";

/**
 * A live channel: one WebSocket that reconnects with backoff and jitter, resyncs by snapshot after a gap or
 * a reconnect, and exposes its state as an observable (the Svelte store contract: `subscribe(run)` returns
 * an unsubscribe function). Works in browsers and in Node ≥ 22 (global WebSocket).
 */

export type Status = "connecting" | "open" | "reconnecting" | "closed";

/** WebSocket.OPEN, spelled out: not every WebSocket type declares the constant on instances. */
const openState = 1;

export interface LiveState<T> {
	status: Status;
	/** The latest full state, or null before the first snapshot. */
	data: T | null;
	/** The channel version `data` reflects. */
	version: number;
	/** The last error the server sent (for example `order_not_found`), if any. */
	error: { code: string; message: string } | null;
}

/** Applies a delta to the state; returns null for a message it does not understand. */
export type Reducer<T, M> = (data: T, message: M) => T | null;

export interface LiveOptions {
	/** The socket URL; a function is called on every (re)connect. */
	url: string | (() => string);
	/** The session to open the socket with, read on every (re)connect; sent as the subprotocol beside `edgepresso`, never in the URL. */
	token?: () => string | null | undefined;
	/** Delay bounds for reconnects (ms): full jitter between 0 and min(max, min·2^attempt). */
	minDelayMs?: number;
	maxDelayMs?: number;
	/** A ping every this many ms; no answer within `pingTimeoutMs` counts as a dead connection. */
	pingIntervalMs?: number;
	pingTimeoutMs?: number;
	/** For tests and non-browser hosts. */
	WebSocket?: typeof WebSocket;
	/** Called with every message, after the state is updated (for logging and latency measurement). */
	onMessage?: (message: ServerMessage) => void;
}

type Snapshot = { type: "snapshot"; version: number } & Record<string, unknown>;

export class LiveChannel<T, M extends { type: string; version?: number }> {
	#options: Required<Omit<LiveOptions, "onMessage" | "WebSocket" | "token">> & Pick<LiveOptions, "onMessage" | "WebSocket" | "token">;
	#fromSnapshot: (snapshot: Snapshot) => T;
	#reduce: Reducer<T, M>;
	#state: LiveState<T> = { status: "connecting", data: null, version: 0, error: null };
	#listeners = new Set<(state: LiveState<T>) => void>();
	#socket: WebSocket | null = null;
	#attempt = 0;
	#closed = false;
	#retryTimer: ReturnType<typeof setTimeout> | null = null;
	#pingTimer: ReturnType<typeof setInterval> | null = null;
	#pongDeadline: ReturnType<typeof setTimeout> | null = null;
	#awaitingSnapshot = true;

	constructor(options: LiveOptions, fromSnapshot: (snapshot: Snapshot) => T, reduce: Reducer<T, M>) {
		this.#options = {
			minDelayMs: 500,
			maxDelayMs: 15_000,
			pingIntervalMs: 25_000,
			pingTimeoutMs: 10_000,
			...options,
		};
		this.#fromSnapshot = fromSnapshot;
		this.#reduce = reduce;
		this.#connect();
	}

	get state(): LiveState<T> {
		return this.#state;
	}

	/** Svelte store contract: `run` is called now and on every change. */
	subscribe(run: (state: LiveState<T>) => void): () => void {
		this.#listeners.add(run);
		run(this.#state);
		return () => this.#listeners.delete(run);
	}

	/** Resolves with the first state that satisfies `test` (for scripts and tests). */
	when(test: (state: LiveState<T>) => boolean, timeoutMs = 30_000): Promise<LiveState<T>> {
		return new Promise((resolve, reject) => {
			let unsubscribe: () => void = () => {};
			const timer = setTimeout(() => {
				unsubscribe();
				reject(new Error(`live channel: condition not met within ${timeoutMs} ms`));
			}, timeoutMs);
			unsubscribe = this.subscribe((state) => {
				if (!test(state)) return;
				clearTimeout(timer);
				queueMicrotask(() => unsubscribe());
				resolve(state);
			});
		});
	}

	/** Drops the connection as a network failure would; the channel reconnects on its own. */
	drop(): void {
		this.#socket?.close(4000, "dropped by client");
	}

	close(): void {
		this.#closed = true;
		this.#clearTimers();
		this.#socket?.close(1000, "closed by client");
		this.#set({ status: "closed" });
	}

	#set(change: Partial<LiveState<T>>): void {
		this.#state = { ...this.#state, ...change };
		for (const listener of this.#listeners) listener(this.#state);
	}

	#connect(): void {
		if (this.#closed) return;
		const Socket = this.#options.WebSocket ?? globalThis.WebSocket;
		const url = typeof this.#options.url === "function" ? this.#options.url() : this.#options.url;
		const token = this.#options.token?.();
		let socket: WebSocket;
		try {
			socket = new Socket(url, token ? [socketProtocol, token] : [socketProtocol]);
		} catch {
			this.#scheduleReconnect();
			return;
		}
		this.#socket = socket;
		this.#awaitingSnapshot = true;
		socket.addEventListener("open", () => {
			this.#attempt = 0;
			this.#set({ status: "open" });
			this.#startPing(socket);
		});
		socket.addEventListener("message", (event) => this.#receive(socket, event.data));
		socket.addEventListener("close", () => {
			if (this.#socket !== socket) return;
			this.#socket = null;
			this.#clearTimers();
			this.#scheduleReconnect();
		});
		socket.addEventListener("error", () => {
			// A close event follows; reconnecting happens there.
		});
	}

	#scheduleReconnect(): void {
		if (this.#closed) return;
		this.#set({ status: "reconnecting" });
		const ceiling = Math.min(this.#options.maxDelayMs, this.#options.minDelayMs * 2 ** this.#attempt);
		this.#attempt++;
		this.#retryTimer = setTimeout(() => this.#connect(), Math.random() * ceiling);
	}

	#startPing(socket: WebSocket): void {
		this.#pingTimer = setInterval(() => {
			if (socket.readyState !== openState) return;
			socket.send(pingMessage);
			this.#pongDeadline ??= setTimeout(() => socket.close(4001, "no pong"), this.#options.pingTimeoutMs);
		}, this.#options.pingIntervalMs);
	}

	#clearTimers(): void {
		if (this.#retryTimer) clearTimeout(this.#retryTimer);
		if (this.#pingTimer) clearInterval(this.#pingTimer);
		if (this.#pongDeadline) clearTimeout(this.#pongDeadline);
		this.#retryTimer = this.#pingTimer = this.#pongDeadline = null;
	}

	#receive(socket: WebSocket, raw: unknown): void {
		if (this.#pongDeadline) {
			clearTimeout(this.#pongDeadline);
			this.#pongDeadline = null;
		}
		if (raw === pongMessage || typeof raw !== "string") return;
		let message: ServerMessage;
		try {
			message = JSON.parse(raw) as ServerMessage;
		} catch {
			return;
		}
		if (message.type === "error") {
			this.#set({ error: { code: message.code, message: message.message } });
		} else if (message.type === "snapshot") {
			this.#awaitingSnapshot = false;
			this.#set({ data: this.#fromSnapshot(message as unknown as Snapshot), version: message.version, error: null });
		} else if (!this.#awaitingSnapshot && this.#state.data !== null) {
			const next = message.version === this.#state.version + 1 ? this.#reduce(this.#state.data, message as unknown as M) : null;
			if (next === null) {
				// A gap (or something unknown): ask for the whole state again.
				this.#awaitingSnapshot = true;
				socket.send(JSON.stringify({ type: "resync" }));
			} else {
				this.#set({ data: next, version: message.version });
			}
		}
		this.#options.onMessage?.(message);
	}
}

// ---- the three channels ---------------------------------------------------------------------------------

function socketUrl(base: string, path: string, query: Record<string, string | undefined> = {}): string {
	const url = new URL(path, base);
	url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
	for (const [key, value] of Object.entries(query)) if (value) url.searchParams.set(key, value);
	return url.toString();
}

/** An attendee's (or staff's) view of one order. */
export function orderChannel(
	base: string,
	orderId: string,
	token: () => string,
	options: Omit<LiveOptions, "url"> = {},
): LiveChannel<Order, Exclude<OrderMessage, { type: "snapshot" }>> {
	return new LiveChannel(
		{ ...options, url: socketUrl(base, `/api/orders/${orderId}/ws`), token },
		(snapshot) => snapshot.order as Order,
		(_order, message) => (message.type === "order" ? message.order : null),
	);
}

/** The public board, or the signed-in display (which also gets the QR code). */
export function boardChannel(
	base: string,
	storeId: string,
	token?: () => string,
	options: Omit<LiveOptions, "url"> = {},
): LiveChannel<Board, Exclude<BoardMessage, { type: "snapshot" }>> {
	return new LiveChannel(
		{ ...options, url: socketUrl(base, `/api/stores/${storeId}/ws`, { role: token ? "display" : "board" }), ...(token ? { token } : {}) },
		(snapshot) => snapshot.board as Board,
		(board, message) => {
			switch (message.type) {
				case "ticket": {
					const tickets = board.tickets.filter((t) => t.number !== message.number);
					if (message.ticket) tickets.push(message.ticket);
					return { ...board, tickets: tickets.sort((a, b) => a.number - b.number) };
				}
				case "qr":
					return { ...board, qr: message.qr };
				case "store":
					return { ...board, store: message.store };
				default:
					return null;
			}
		},
	);
}

/** A barista's or admin's view of a whole store. */
export function staffChannel(
	base: string,
	storeId: string,
	token: () => string,
	options: Omit<LiveOptions, "url"> = {},
): LiveChannel<StaffView, Exclude<StaffMessage, { type: "snapshot" }>> {
	return new LiveChannel(
		{ ...options, url: socketUrl(base, `/api/stores/${storeId}/ws`), token },
		(snapshot) => snapshot.view as StaffView,
		(view, message) => {
			switch (message.type) {
				case "order": {
					const orders = view.orders.filter((o) => o.id !== message.order.id);
					orders.push(message.order);
					return { ...view, orders };
				}
				case "qr":
					return { ...view, qr: message.qr };
				case "store":
					return { ...view, store: message.store };
				default:
					return null;
			}
		},
	);
}

export type { StoreRole };
