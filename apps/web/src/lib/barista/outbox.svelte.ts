import { ApiRefusal } from "#client/api.ts";
import type { Status } from "#client/live.ts";
import { isNetworkFailure, newKey } from "#lib/api.ts";
import type { Action, Entry } from "./pending.ts";

/**
 * The tablet's outbox: every barista action goes through it, so one taken while the Wi-Fi is down (or
 * whose request fails on the way) is not lost. Actions are kept in localStorage (a reload keeps them), sent
 * one at a time in the order they were taken, each with the idempotency key it was created with, and
 * replayed when the live channel is back. A refusal (the order moved on meanwhile) is kept for the barista
 * to read, and the queue moves on; later actions on the same order are not sent after it.
 */

export interface Refusal {
	entry: Entry;
	code: string;
	message: string;
	details?: Record<string, unknown>;
	/** Later actions on the same order that were dropped with it. */
	skipped: number;
}

/** What became of an action the first time the tablet tried to send it. */
export type FirstTry<T> = { sent: T } | { queued: true } | { refused: ApiRefusal; record: Refusal };

/** After a send failed for network reasons while the channel still looks up, try again this much later. */
const retryMs = 5_000;

interface Saved {
	entries: Entry[];
	refusals: Refusal[];
}

function load(key: string): Saved {
	try {
		const saved = JSON.parse(localStorage.getItem(key) ?? "null") as Saved | null;
		return { entries: saved?.entries ?? [], refusals: saved?.refusals ?? [] };
	} catch {
		return { entries: [], refusals: [] };
	}
}

export class Outbox<T> {
	entries = $state<Entry[]>([]);
	refusals = $state<Refusal[]>([]);
	/** The key of the action on its way to the server, if any. */
	sending = $state<string | null>(null);
	/** The last try failed for network reasons: the rest waits for the channel to be live again. */
	stalled = $state(false);
	#storageKey: string;
	#send: (entry: Entry) => Promise<T>;
	#settled: (entry: Entry, value: T) => void;
	#status: Status = "connecting";
	#stopped = false;
	#pumping = false;
	#retry: ReturnType<typeof setTimeout> | null = null;
	// Callbacks waiting on a first try: bookkeeping, not state any screen draws.
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	#firstTries = new Map<string, (outcome: FirstTry<T>) => void>();

	/**
	 * `send` makes the request (with `entry.key` as its `Idempotency-Key`) and returns the reply's body or
	 * throws; `settled` is given each reply, however late, to show it.
	 */
	constructor(storeId: string, send: (entry: Entry) => Promise<T>, settled: (entry: Entry, value: T) => void) {
		this.#storageKey = `edgepresso.barista.outbox.${storeId}`;
		this.#send = send;
		this.#settled = settled;
		const saved = load(this.#storageKey);
		this.entries = saved.entries;
		this.refusals = saved.refusals;
	}

	/** The live channel's status: the outbox sends while the network is there, and replays when it is live again. */
	set status(status: Status) {
		const wasLive = this.#status === "live";
		this.#status = status;
		if (status === "live" && !wasLive) this.stalled = false;
		void this.#pump();
	}

	/** Takes an action: it is kept at once, and sent as soon as everything before it has been. */
	add(action: Action): Promise<FirstTry<T>> {
		const entry: Entry = { key: newKey(), at: Date.now(), action };
		this.entries.push(entry);
		this.#save();
		const first = new Promise<FirstTry<T>>((resolve) => this.#firstTries.set(entry.key, resolve));
		void this.#pump();
		if (!this.#canSend()) this.#queued();
		return first;
	}

	/** Stops sending (the session was refused) until `resume()`; nothing is dropped. */
	stop(): void {
		this.#stopped = true;
	}

	resume(): void {
		this.#stopped = false;
		void this.#pump();
	}

	dismiss(refusal: Refusal): void {
		this.refusals = this.refusals.filter((r) => r.entry.key !== refusal.entry.key);
		this.#save();
	}

	/** What the outbox holds for one order: its waiting actions and its unread refusals. */
	forOrder(orderId: string): { waiting: Entry[]; refusals: Refusal[] } {
		return {
			waiting: this.entries.filter((e) => e.action.kind === "move" && e.action.order.id === orderId),
			refusals: this.refusals.filter((r) => r.entry.action.kind === "move" && r.entry.action.order.id === orderId),
		};
	}

	#canSend(): boolean {
		return !this.#stopped && !this.stalled && this.#status !== "offline" && this.#status !== "closed";
	}

	async #pump(): Promise<void> {
		if (this.#pumping) return;
		this.#pumping = true;
		try {
			while (this.entries.length > 0 && this.#canSend()) await this.#sendFirst(this.entries[0]!);
		} finally {
			this.#pumping = false;
			this.sending = null;
		}
		if (this.entries.length > 0) this.#queued();
	}

	async #sendFirst(entry: Entry): Promise<void> {
		this.sending = entry.key;
		let value: T;
		try {
			value = await this.#send(entry);
		} catch (caught) {
			if (isNetworkFailure(caught)) return this.#stall();
			const refusal = caught instanceof ApiRefusal ? caught : new ApiRefusal(0, "unknown", String(caught));
			if (refusal.code === "unauthenticated") return this.stop();
			return this.#refused(entry, refusal);
		}
		this.#remove(entry, []);
		this.#firstTry(entry, { sent: value });
		this.#settled(entry, value);
	}

	#stall(): void {
		this.stalled = true;
		if (this.#retry) clearTimeout(this.#retry);
		// If the channel drops meanwhile, its coming back live is what sends again.
		this.#retry = setTimeout(() => {
			this.#retry = null;
			this.stalled = false;
			void this.#pump();
		}, retryMs);
	}

	#refused(entry: Entry, error: ApiRefusal): void {
		const orderId = entry.action.kind === "move" ? entry.action.order.id : null;
		const later = orderId
			? this.entries.filter((e) => e !== entry && e.action.kind === "move" && e.action.order.id === orderId)
			: [];
		this.#remove(entry, later);
		const record: Refusal = {
			entry,
			code: error.code,
			message: error.message,
			details: error.details,
			skipped: later.length,
		};
		this.refusals.push(record);
		this.#save();
		for (const refused of [entry, ...later]) this.#firstTry(refused, { refused: error, record });
	}

	#remove(entry: Entry, also: Entry[]): void {
		// A lookup local to this call, never drawn.
		// eslint-disable-next-line svelte/prefer-svelte-reactivity
		const gone = new Set([entry.key, ...also.map((e) => e.key)]);
		this.entries = this.entries.filter((e) => !gone.has(e.key));
		this.#save();
	}

	/** Everything still waiting has been told it is queued. */
	#queued(): void {
		for (const entry of this.entries) this.#firstTry(entry, { queued: true });
	}

	#firstTry(entry: Entry, outcome: FirstTry<T>): void {
		this.#firstTries.get(entry.key)?.(outcome);
		this.#firstTries.delete(entry.key);
	}

	#save(): void {
		try {
			localStorage.setItem(
				this.#storageKey,
				JSON.stringify({ entries: this.entries, refusals: this.refusals } satisfies Saved),
			);
		} catch {
			// Storage full or disabled: the queue lasts as long as the page.
		}
	}
}
