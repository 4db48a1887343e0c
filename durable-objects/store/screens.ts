import { errorStatus } from "#contract/errors.ts";
import {
	finishedInStaffViewMs,
	readyOnBoardMs,
	networkHeader,
	originHeader,
	type Board,
	type BoardMessage,
	type BoardTicket,
	type StaffMessage,
	type StaffView,
	type StoreRole,
} from "#contract/live.ts";
import type { Order } from "#contract/order.ts";
import type { StoreView } from "#contract/store.ts";
import { LiveSockets, notAnUpgrade, readActor, refuseUpgrade, send } from "../blocks/sockets";
import type { Timers } from "../blocks/timers";
import {
	boardQr,
	boardStore,
	orderOf,
	publicRoles,
	qrView,
	socketRole,
	staffRoles,
	ticketOf,
	type SocketFacts,
} from "./board";
import type { CodeBook, CodeWindow } from "./qr";
import { openStateList, type OrderRow, type StoreRecord } from "./schema";

type Audience = "public" | "staff";

/**
 * The store's screens: the public boards and the display (tickets and the QR code), and the staff tablets
 * (every order). Each screen gets a snapshot when it connects, then versioned changes; while any board
 * watches an open store, the QR code rotates on the `rotate` timer.
 */
export class Screens {
	#ctx: DurableObjectState;
	#sql: SqlStorage;
	#live: LiveSockets<Audience, StoreRole>;
	#codes: CodeBook;
	#timers: Pick<Timers<"rotate">, "set">;
	#load: () => StoreRecord | null;
	#view: (record: StoreRecord) => StoreView;

	constructor(
		ctx: DurableObjectState,
		codes: CodeBook,
		timers: Pick<Timers<"rotate">, "set">,
		load: () => StoreRecord | null,
		view: (record: StoreRecord) => StoreView,
	) {
		this.#ctx = ctx;
		this.#sql = ctx.storage.sql;
		this.#live = new LiveSockets(ctx);
		this.#codes = codes;
		this.#timers = timers;
		this.#load = load;
		this.#view = view;
	}

	/**
	 * Accepts a screen's socket: the public board (anyone), the signed-in display (`?role=display`), or a
	 * barista's or admin's view of every order. No more than `boardsPerNetwork` public boards per network.
	 */
	accept(request: Request, boardsPerNetwork: number): Response {
		const refused = notAnUpgrade(request);
		if (refused) return refused;
		const record = this.#load();
		if (!record) return refuseUpgrade(404, "store_not_found", "No such store.");
		const url = new URL(request.url);
		const role = socketRole(readActor(request), url.searchParams.get("role"), record.storeId);
		if (!role.ok) return refuseUpgrade(errorStatus[role.code], role.code, role.message);
		const facts: SocketFacts = { role: role.value, origin: request.headers.get(originHeader) ?? url.origin };
		// Anyone may watch the public board, but not from a thousand sockets: each holds memory here.
		const network = facts.role === "board" ? request.headers.get(networkHeader) : null;
		const networkTag = network === null ? null : `network:${network}`;
		if (networkTag !== null && this.#ctx.getWebSockets(networkTag).length >= boardsPerNetwork) {
			const message = "Too many boards of this store are open from your network: close one and try again.";
			return refuseUpgrade(429, "rate_limited", message, 30);
		}
		// Open the running window first, so the new socket's first message is its snapshot.
		const window = record.settings.open ? this.window(Date.now()) : null;
		const { client, server } = this.#live.accept(facts.role, facts, networkTag === null ? [] : [networkTag]);
		send(server, this.#snapshot(facts));
		if (window && publicRoles.includes(facts.role)) this.#armRotation(window);
		return new Response(null, { status: 101, webSocket: client });
	}

	receive(socket: WebSocket, raw: string | ArrayBuffer): void {
		this.#live.receive(socket, raw, () => this.#snapshot(socket.deserializeAttachment() as SocketFacts));
	}

	/** Whether any screen is connected. */
	get watched(): boolean {
		return this.#live.count(...publicRoles, ...staffRoles) > 0;
	}

	/** The running QR window; opening a new one shows it on every screen and arms its rotation. */
	window(now: number): CodeWindow {
		const { settings } = this.#load()!;
		return this.#codes.current(now, settings.codeWindowSeconds, settings.drinksPerCode, (opened) => {
			this.qr(opened);
			this.#armRotation(opened);
		});
	}

	/** Shows an order's change to staff, and to the boards if its ticket changed. */
	order(before: OrderRow | undefined, order: Order): void {
		this.#live.broadcast("staff", staffRoles, (version) => ({ type: "order", version, order }) satisfies StaffMessage);
		const was = before ? ticketOf(before) : null;
		const time = (iso: string | null | undefined) => (iso ? Date.parse(iso) : null);
		const finished_at = time(order.finishedAt);
		const now = ticketOf({
			number: order.number,
			name: order.name,
			state: order.state,
			finished_at,
			called_at: time(order.remindedAt),
		});
		if (
			order.number !== null &&
			(was?.state !== now?.state || was?.name !== now?.name || was?.calledAt !== now?.calledAt)
		) {
			this.#ticket(order.number, now);
		}
	}

	/** Shows a newly numbered order on the boards (staff see it when the order reports in). */
	numbered(row: OrderRow): void {
		if (row.number !== null) this.#ticket(row.number, ticketOf(row));
	}

	qr(window: CodeWindow | null): void {
		const storeId = this.#load()!.storeId;
		this.#live.broadcast(
			"public",
			publicRoles,
			(version, role) =>
				({
					type: "qr",
					version,
					qr: window && boardQr(storeId, window, role === "display" ? this.#originOf(role) : null),
				}) satisfies BoardMessage,
		);
		this.#live.broadcast(
			"staff",
			staffRoles,
			(version, role) =>
				({
					type: "qr",
					version,
					qr: window && qrView(storeId, window, this.#originOf(role)),
				}) satisfies StaffMessage,
		);
	}

	store(record: StoreRecord): void {
		this.#live.broadcast(
			"public",
			publicRoles,
			(version) => ({ type: "store", version, store: boardStore(record) }) satisfies BoardMessage,
		);
		this.#live.broadcast(
			"staff",
			staffRoles,
			(version) => ({ type: "store", version, store: this.#view(record) }) satisfies StaffMessage,
		);
	}

	/** The `rotate` timer: a new code for the boards, if any still watch an open store. */
	rotate(now: number): void {
		const record = this.#load();
		if (!record?.settings.open || this.#live.count(...publicRoles) === 0) return;
		const window = this.window(now);
		// `window` re-armed the timer if it opened a new window; a still-running one (settings moved it) re-arms here.
		this.#armRotation(window);
	}

	#ticket(number: number, ticket: BoardTicket | null): void {
		this.#live.broadcast(
			"public",
			publicRoles,
			(version) => ({ type: "ticket", version, number, ticket }) satisfies BoardMessage,
		);
	}

	#snapshot(facts: SocketFacts): BoardMessage | StaffMessage {
		if (publicRoles.includes(facts.role)) {
			const board = this.#board(facts.role === "display" ? facts.origin : null);
			return { type: "snapshot", channel: "board", version: this.#live.version("public"), board };
		}
		return {
			type: "snapshot",
			channel: "staff",
			version: this.#live.version("staff"),
			view: this.#staffView(facts.origin),
		};
	}

	#board(origin: string | null): Board {
		const record = this.#load()!;
		const now = Date.now();
		const rows = this.#sql
			.exec<OrderRow>(
				`SELECT * FROM orders WHERE number IS NOT NULL
				 AND (state IN ('QUEUED', 'MAKING') OR (state = 'READY' AND finished_at > ?)) ORDER BY number`,
				now - readyOnBoardMs,
			)
			.toArray();
		return {
			store: boardStore(record),
			qr: record.settings.open ? boardQr(record.storeId, this.window(now), origin) : null,
			tickets: rows.map(ticketOf).filter((t): t is BoardTicket => t !== null),
		};
	}

	#staffView(origin: string): StaffView {
		const record = this.#load()!;
		const now = Date.now();
		const orders = this.#sql
			.exec<OrderRow>(
				`SELECT * FROM orders WHERE snapshot IS NOT NULL AND (state IN ${openStateList} OR finished_at > ?) ORDER BY created_at`,
				now - finishedInStaffViewMs,
			)
			.toArray()
			.map(orderOf);
		const qr = record.settings.open ? qrView(record.storeId, this.window(now), origin) : null;
		return { store: this.#view(record), orders, qr };
	}

	#originOf(role: StoreRole): string {
		const socket = this.#ctx.getWebSockets(role)[0];
		return socket ? (socket.deserializeAttachment() as SocketFacts).origin : "";
	}

	/** While a board is watching an open store, a new code appears the moment the last one ends. */
	#armRotation(window: CodeWindow): void {
		if (this.#live.count(...publicRoles) > 0 && this.#load()?.settings.open)
			this.#timers.set("rotate", window.expiresAt);
	}
}
