import type { Order } from "./order";
import type { Language, QrView, StoreView } from "./store";

/**
 * The live-update protocol (docs/design.md#live-protocol), shared by the Durable Objects that send it and
 * the clients that follow it. On connect the server sends a `snapshot` with a version; every later message
 * carries the next version of that channel. A client that sees a gap, or reconnects, sends
 * `{ "type": "resync" }` and gets a fresh snapshot. The text `ping` is answered `pong` without waking the object.
 */

/**
 * Who is on a store socket. `board` is the public board (anyone, no code); `display` is the big screen
 * signed in as the store's display, or staff (the board plus the QR code); `barista` and `admin` see every
 * order of the store.
 */
export const storeRoles = ["board", "display", "barista", "admin"] as const;
export type StoreRole = (typeof storeRoles)[number];

/** What the public board shows of an order: its number and the first name on the cup, nothing else. */
export interface BoardTicket {
	number: number;
	name: string | null;
	state: "preparing" | "ready";
	/** When it became ready; boards drop ready tickets a while after this. */
	readyAt: string | null;
	/** When staff last called for the ready drink; boards make it stand out for `calledOnBoardMs`. */
	calledAt: string | null;
}

export interface BoardStore {
	id: string;
	name: string;
	open: boolean;
	paused: boolean;
	/** What the display speaks: one language, or two it alternates. */
	languages: Language[];
}

/** The QR window as a board sees it; `code` and `url` only reach the signed-in display. */
export interface BoardQr {
	code: string | null;
	url: string | null;
	tokensLeft: number;
	tokensTotal: number;
	startsAt: string;
	expiresAt: string;
}

export interface Board {
	store: BoardStore;
	/** Null while the store is closed. */
	qr: BoardQr | null;
	tickets: BoardTicket[];
}

/** Everything a barista's tablet needs: the store, its orders (open and recently finished) and the QR window. */
export interface StaffView {
	store: StoreView;
	orders: Order[];
	qr: QrView | null;
}

export type OrderMessage =
	| { type: "snapshot"; channel: "order"; version: number; order: Order }
	| { type: "order"; version: number; order: Order };

export type BoardMessage =
	| { type: "snapshot"; channel: "board"; version: number; board: Board }
	| { type: "ticket"; version: number; number: number; ticket: BoardTicket | null }
	| { type: "qr"; version: number; qr: BoardQr | null }
	| { type: "store"; version: number; store: BoardStore };

export type StaffMessage =
	| { type: "snapshot"; channel: "staff"; version: number; view: StaffView }
	| { type: "order"; version: number; order: Order }
	| { type: "qr"; version: number; qr: QrView | null }
	| { type: "store"; version: number; store: StoreView };

export type ErrorMessage = { type: "error"; code: string; message: string };

export type ServerMessage = OrderMessage | BoardMessage | StaffMessage | ErrorMessage;

export type ClientMessage = { type: "resync" };

/** Messages a client may send are tiny; anything longer is refused without being parsed. */
export const maxClientMessageBytes = 1024;

/**
 * The WebSocket subprotocol of every socket. A client with a session offers it with the token as a second
 * protocol (`Sec-WebSocket-Protocol: edgepresso, <token>`), since browsers cannot set headers on a socket and
 * a token in the URL would end up in request logs; the server selects and echoes `edgepresso`.
 */
export const socketProtocol = "edgepresso";

/** Whether a request asks to become a WebSocket (the Worker and the objects both check it). */
export function isWebSocketUpgrade(headers: Headers): boolean {
	return headers.get("upgrade")?.toLowerCase() === "websocket";
}

/**
 * A client sends a resync now and then, never a stream: a socket that sends more than `floodMessages` in
 * `floodWindowMs` (pings, answered by the runtime, do not count) is closed with `floodCloseCode`.
 */
export const floodMessages = 20;
export const floodWindowMs = 10_000;
export const floodCloseCode = 1008;
export const floodCloseReason = "too many messages";
/** A socket gets at most one snapshot a second: resyncs within a second of the last share the next one. */
export const resyncGapMs = 1000;

export const pingMessage = "ping";
export const pongMessage = "pong";

/** How long boards keep showing a ready order, like the original display (10 minutes). */
export const readyOnBoardMs = 10 * 60_000;
/** Staff may call an attendee to collect a ready drink at most this often (each call wakes their phone). */
export const reminderGapMs = 60_000;
/** How long a ready drink that staff called for stands out on the board. */
export const calledOnBoardMs = 60_000;
/** How long finished orders stay in the barista's view. */
export const finishedInStaffViewMs = 30 * 60_000;

/**
 * Headers through which the Worker tells a Durable Object who opened a socket and at which public origin.
 * The Worker always sets (or removes) them itself, so a client cannot.
 */
export const actorHeader = "x-edgepresso-actor";
export const originHeader = "x-edgepresso-origin";
/** The client's network (IPv4 address, IPv6 /64) as the Worker counts it; absent for exempt addresses. */
export const networkHeader = "x-edgepresso-network";
