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
} from "#contract/live.ts";
import type { Order } from "#contract/order.ts";

/**
 * A live channel: one WebSocket that reconnects with backoff and jitter, resyncs by snapshot after a gap or
 * a reconnect, and exposes its state as an observable (the Svelte store contract: `subscribe(run)` returns
 * an unsubscribe function). Works in browsers and in Node ≥ 22 (global WebSocket).
 *
 * Its status is honest about venue Wi-Fi: `live` only once the current socket has delivered its snapshot;
 * `reconnecting` the moment a ping goes unanswered (a new socket is opened at once, without waiting for the
 * old one's `close`, which never comes while the link is dead); `offline` while the browser says so.
 */

export type Status = "connecting" | "live" | "reconnecting" | "offline" | "closed";

/** WebSocket.OPEN, spelled out: not every WebSocket type declares the constant on instances. */
const openState = 1;

export interface LiveState<T> {
	status: Status;
	/** Since when (epoch ms) the channel has not been live: set while connecting, reconnecting or offline. */
	since: number | null;
	/** The latest full state, or null before the first snapshot. */
	data: T | null;
	/** The channel version `data` reflects. */
	version: number;
	/** The last error the server sent (for example `order_not_found`), if any. */
	error: { code: string; message: string } | null;
}

/** Applies a delta to the state; returns null for a message it does not understand. */
export type Reducer<T, M> = (data: T, message: M) => T | null;

/** Where a socket connects: a URL, with subprotocols when the server wants them. */
export type SocketTarget = string | { url: string; protocols?: string | string[] };

/** The clock the channel runs on: the real one, or a test's. */
export interface Timers {
	now(): number;
	setTimeout(run: () => void, ms: number): unknown;
	clearTimeout(timer: unknown): void;
}

/** What the host knows about its network: a browser's `navigator.onLine` and its `online` / `offline` events. */
export interface Network {
	readonly onLine: boolean;
	addEventListener(type: "online" | "offline", listener: () => void): void;
	removeEventListener(type: "online" | "offline", listener: () => void): void;
}

export interface LiveOptions {
	/** Where to connect; a function is called on every (re)connect, so a fresh token or ticket can be used. */
	endpoint: SocketTarget | (() => SocketTarget | Promise<SocketTarget>);
	/** Delay bounds for reconnects (ms): full jitter between 0 and min(max, min·2^attempt). */
	minDelayMs?: number;
	maxDelayMs?: number;
	/** A ping every this many ms; no answer within `pingTimeoutMs` means the link is dead. */
	pingIntervalMs?: number;
	pingTimeoutMs?: number;
	/** A socket that has not delivered its snapshot this long after it was started is given up. */
	connectTimeoutMs?: number;
	/** For tests and non-browser hosts. */
	WebSocket?: typeof WebSocket;
	timers?: Timers;
	/** The browser's by default; null where there is none (Node, workerd). */
	network?: Network | null;
	/** Called with every message, after the state is updated (for logging and latency measurement). */
	onMessage?: (message: ServerMessage) => void;
}

export type ChannelOptions = Omit<LiveOptions, "endpoint">;

type Snapshot = { type: "snapshot"; version: number } & Record<string, unknown>;

const realTimers: Timers = {
	now: () => Date.now(),
	setTimeout: (run, ms) => setTimeout(run, ms),
	clearTimeout: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
};

/** The browser's network, where there is one (its window has `online` / `offline` events and `navigator.onLine`). */
function browserNetwork(): Network | null {
	const host = globalThis as unknown as { navigator?: { onLine?: unknown }; addEventListener?: unknown };
	if (typeof host.navigator?.onLine !== "boolean" || typeof host.addEventListener !== "function") return null;
	const navigator = host.navigator as { onLine: boolean };
	const window = host as unknown as Pick<Network, "addEventListener" | "removeEventListener">;
	return {
		get onLine() {
			return navigator.onLine;
		},
		addEventListener: (type, listener) => window.addEventListener(type, listener),
		removeEventListener: (type, listener) => window.removeEventListener(type, listener),
	};
}

export class LiveChannel<T, M extends { type: string; version?: number }> {
	#options: Required<
		Pick<LiveOptions, "minDelayMs" | "maxDelayMs" | "pingIntervalMs" | "pingTimeoutMs" | "connectTimeoutMs">
	> &
		LiveOptions;
	#timers: Timers;
	#network: Network | null;
	#fromSnapshot: (snapshot: Snapshot) => T;
	#reduce: Reducer<T, M>;
	#state: LiveState<T>;
	#listeners = new Set<(state: LiveState<T>) => void>();
	/** The one socket the channel listens to; events from any other (an abandoned one) are ignored. */
	#socket: WebSocket | null = null;
	/** Counts connection attempts, so an endpoint that resolves late does not start a socket nobody wants. */
	#generation = 0;
	#attempt = 0;
	#closed = false;
	#retryTimer: unknown = null;
	#pingTimer: unknown = null;
	#pongDeadline: unknown = null;
	#connectDeadline: unknown = null;
	#awaitingSnapshot = true;

	constructor(options: LiveOptions, fromSnapshot: (snapshot: Snapshot) => T, reduce: Reducer<T, M>) {
		this.#options = {
			minDelayMs: 500,
			maxDelayMs: 15_000,
			// A dead link is seen within 8 s: the next ping at most 4 s away, then 4 s for its pong.
			pingIntervalMs: 4_000,
			pingTimeoutMs: 4_000,
			connectTimeoutMs: 10_000,
			...options,
		};
		this.#timers = options.timers ?? realTimers;
		this.#network = options.network === undefined ? browserNetwork() : options.network;
		this.#fromSnapshot = fromSnapshot;
		this.#reduce = reduce;
		const offline = this.#network?.onLine === false;
		this.#state = {
			status: offline ? "offline" : "connecting",
			since: this.#timers.now(),
			data: null,
			version: 0,
			error: null,
		};
		this.#network?.addEventListener("offline", this.#wentOffline);
		this.#network?.addEventListener("online", this.#cameOnline);
		if (offline) this.#scheduleReconnect();
		else this.#connect();
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
		this.#lost(false);
	}

	close(): void {
		this.#closed = true;
		this.#network?.removeEventListener("offline", this.#wentOffline);
		this.#network?.removeEventListener("online", this.#cameOnline);
		this.#abandon(1000, "closed by client");
		this.#clearTimer("retry");
		this.#set({ status: "closed", since: this.#state.since ?? this.#timers.now() });
	}

	#set(change: Partial<LiveState<T>>): void {
		this.#state = { ...this.#state, ...change };
		for (const listener of this.#listeners) listener(this.#state);
	}

	/** Not live (any more): says so, keeping the moment it stopped being live (or started trying). */
	#down(): void {
		if (this.#closed) return;
		this.#set({
			status: this.#network?.onLine === false ? "offline" : "reconnecting",
			since: this.#state.since ?? this.#timers.now(),
		});
	}

	#wentOffline = (): void => {
		this.#abandon(4000, "offline");
		this.#down();
		this.#scheduleReconnect();
	};

	#cameOnline = (): void => {
		if (this.#closed || this.#state.status === "live") return;
		this.#abandon(4000, "back online");
		this.#attempt = 0;
		this.#down();
		this.#connect();
	};

	#connect(): void {
		if (this.#closed) return;
		this.#clearTimer("retry");
		const generation = ++this.#generation;
		const { endpoint } = this.#options;
		let target: SocketTarget | Promise<SocketTarget>;
		try {
			target = typeof endpoint === "function" ? endpoint() : endpoint;
		} catch {
			this.#scheduleReconnect();
			return;
		}
		if (!(target instanceof Promise)) return this.#open(target);
		// Asked for asynchronously (a ticket, say): a reconnect or close meanwhile makes this answer moot.
		target.then(
			(resolved) => generation === this.#generation && !this.#closed && this.#open(resolved),
			() => generation === this.#generation && this.#scheduleReconnect(),
		);
	}

	#open(target: SocketTarget): void {
		const { url, protocols } = typeof target === "string" ? { url: target, protocols: undefined } : target;
		const Socket = this.#options.WebSocket ?? globalThis.WebSocket;
		let socket: WebSocket;
		try {
			socket = new Socket(url, protocols);
		} catch {
			this.#scheduleReconnect();
			return;
		}
		this.#socket = socket;
		this.#awaitingSnapshot = true;
		this.#connectDeadline = this.#timers.setTimeout(() => this.#lost(false), this.#options.connectTimeoutMs);
		socket.addEventListener("open", () => {
			if (this.#socket === socket) this.#schedulePing(socket);
		});
		socket.addEventListener("message", (event) => {
			if (this.#socket === socket) this.#receive(socket, event.data);
		});
		socket.addEventListener("close", () => {
			if (this.#socket === socket) this.#lost(false);
		});
		socket.addEventListener("error", () => {
			// A close event follows; reconnecting happens there.
		});
	}

	/**
	 * The current socket is gone or as good as gone: stop listening to it and open another, at once when a
	 * working link just died (a missed pong, the network back), after a backoff when connecting keeps failing.
	 */
	#lost(now: boolean): void {
		if (this.#closed) return;
		this.#abandon(4000, "connection lost");
		this.#down();
		if (now) this.#connect();
		else this.#scheduleReconnect();
	}

	/** Forgets the current socket: its late events are ignored, and closing it is only a courtesy. */
	#abandon(code: number, reason: string): void {
		const socket = this.#socket;
		this.#socket = null;
		this.#generation++;
		this.#clearTimer("ping");
		this.#clearTimer("pong");
		this.#clearTimer("connect");
		try {
			socket?.close(code, reason);
		} catch {
			// Closing a socket that never opened can throw; it is abandoned either way.
		}
	}

	#scheduleReconnect(): void {
		if (this.#closed) return;
		this.#clearTimer("retry");
		const ceiling = Math.min(this.#options.maxDelayMs, this.#options.minDelayMs * 2 ** this.#attempt);
		this.#attempt++;
		this.#retryTimer = this.#timers.setTimeout(() => this.#connect(), Math.random() * ceiling);
	}

	#schedulePing(socket: WebSocket): void {
		this.#pingTimer = this.#timers.setTimeout(() => {
			if (this.#socket !== socket) return;
			if (socket.readyState === openState) {
				socket.send(pingMessage);
				this.#pongDeadline ??= this.#timers.setTimeout(() => this.#lost(true), this.#options.pingTimeoutMs);
			}
			this.#schedulePing(socket);
		}, this.#options.pingIntervalMs);
	}

	#clearTimer(which: "retry" | "ping" | "pong" | "connect"): void {
		const timers = {
			retry: this.#retryTimer,
			ping: this.#pingTimer,
			pong: this.#pongDeadline,
			connect: this.#connectDeadline,
		};
		if (timers[which] !== null) this.#timers.clearTimeout(timers[which]);
		if (which === "retry") this.#retryTimer = null;
		else if (which === "ping") this.#pingTimer = null;
		else if (which === "pong") this.#pongDeadline = null;
		else this.#connectDeadline = null;
	}

	#receive(socket: WebSocket, raw: unknown): void {
		// Anything from the server proves the link works.
		this.#clearTimer("pong");
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
			this.#attempt = 0;
			this.#clearTimer("connect");
			this.#set({
				status: "live",
				since: null,
				data: this.#fromSnapshot(message as unknown as Snapshot),
				version: message.version,
				error: null,
			});
		} else if (!this.#awaitingSnapshot && this.#state.data !== null) {
			const next =
				message.version === this.#state.version + 1 ? this.#reduce(this.#state.data, message as unknown as M) : null;
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

/** A socket that opens with the session as its subprotocol beside `edgepresso`, never in the URL. */
function withSession(url: string, token: string | null | undefined): SocketTarget {
	return { url, protocols: token ? [socketProtocol, token] : [socketProtocol] };
}

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
	options: ChannelOptions = {},
): LiveChannel<Order, Exclude<OrderMessage, { type: "snapshot" }>> {
	return new LiveChannel(
		{ ...options, endpoint: () => withSession(socketUrl(base, `/api/orders/${orderId}/ws`), token()) },
		(snapshot) => snapshot.order as Order,
		(_order, message) => (message.type === "order" ? message.order : null),
	);
}

/** The public board, or the signed-in display (which also gets the QR code). */
export function boardChannel(
	base: string,
	storeId: string,
	token?: () => string,
	options: ChannelOptions = {},
): LiveChannel<Board, Exclude<BoardMessage, { type: "snapshot" }>> {
	return new LiveChannel(
		{
			...options,
			endpoint: () =>
				withSession(socketUrl(base, `/api/stores/${storeId}/ws`, { role: token ? "display" : "board" }), token?.()),
		},
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
	options: ChannelOptions = {},
): LiveChannel<StaffView, Exclude<StaffMessage, { type: "snapshot" }>> {
	return new LiveChannel(
		{ ...options, endpoint: () => withSession(socketUrl(base, `/api/stores/${storeId}/ws`), token()) },
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
