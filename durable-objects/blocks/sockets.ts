import {
	floodCloseCode,
	floodCloseReason,
	floodMessages,
	floodWindowMs,
	isWebSocketUpgrade,
	actorHeader,
	maxClientMessageBytes,
	pingMessage,
	pongMessage,
	resyncGapMs,
	type ClientMessage,
	type ErrorMessage,
} from "#contract/live.ts";
import type { Actor } from "#contract/actor.ts";

export function readActor(request: Request): Actor | null {
	const raw = request.headers.get(actorHeader);
	return raw ? (JSON.parse(raw) as Actor) : null;
}

/** The table of audience versions, for an object's schema steps. */
export const liveVersionsTable = `CREATE TABLE IF NOT EXISTS live_versions (audience TEXT PRIMARY KEY, version INTEGER NOT NULL);`;

/**
 * Hibernatable WebSockets with versioned broadcasts. Each audience (a set of socket tags that see the same
 * stream of changes) has a version counter in SQLite, so versions keep increasing across hibernation and
 * eviction; a socket's own facts live in its attachment.
 */
export class LiveSockets<Audience extends string, Tag extends string> {
	#ctx: DurableObjectState;
	#sql: SqlStorage;
	#versions = new Map<Audience, number>();
	/** How fast each socket talks, in memory: a socket that floods keeps the object awake, so it is never lost mid-flood. */
	#paces = new WeakMap<WebSocket, Pace>();

	constructor(ctx: DurableObjectState) {
		this.#ctx = ctx;
		this.#sql = ctx.storage.sql;
		// Pings are answered by the runtime without waking the object.
		ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(pingMessage, pongMessage));
	}

	/**
	 * Accepts a hibernatable socket (never `accept()`), tagged for broadcasts (and with any `also` tags, for
	 * counting), with its facts attached.
	 */
	accept(tag: Tag, attachment: unknown, also: string[] = []): { client: WebSocket; server: WebSocket } {
		const pair = new WebSocketPair();
		const [client, server] = [pair[0], pair[1]];
		this.#ctx.acceptWebSocket(server, [tag, ...also]);
		server.serializeAttachment(attachment);
		// The snapshot on connect does not count: a client that resyncs at once is answered at once.
		this.#paces.set(server, { windowStart: Date.now(), messages: 0, lastSnapshot: 0, pending: false });
		return { client, server };
	}

	/**
	 * A client's message. A socket that floods is closed (`floodCloseCode`); a resync is answered with
	 * `snapshot()` (built when sent), at most once a second per socket — resyncs within that second share the
	 * next one — so no client can make the object build snapshots as fast as it can ask.
	 */
	receive(socket: WebSocket, raw: string | ArrayBuffer, snapshot: () => object | null): void {
		const now = Date.now();
		let pace = this.#paces.get(socket);
		if (!pace) {
			// A socket from before the object last hibernated starts with a clean record.
			pace = { windowStart: now, messages: 0, lastSnapshot: 0, pending: false };
			this.#paces.set(socket, pace);
		}
		if (now - pace.windowStart >= floodWindowMs) Object.assign(pace, { windowStart: now, messages: 0 });
		if (++pace.messages > floodMessages) {
			socket.close(floodCloseCode, floodCloseReason);
			return;
		}
		if (readClientMessage(socket, raw)?.type !== "resync" || pace.pending) return;
		const answer = (at: number) => {
			pace.pending = false;
			pace.lastSnapshot = at;
			const message = snapshot();
			if (message) send(socket, message);
		};
		const wait = pace.lastSnapshot + resyncGapMs - now;
		if (wait <= 0) return answer(now);
		pace.pending = true;
		setTimeout(() => answer(Date.now()), wait);
	}

	version(audience: Audience): number {
		let version = this.#versions.get(audience);
		if (version === undefined) {
			version =
				this.#sql
					.exec<{ version: number }>(`SELECT version FROM live_versions WHERE audience = ?`, audience)
					.toArray()[0]?.version ?? 0;
			this.#versions.set(audience, version);
		}
		return version;
	}

	count(...tags: Tag[]): number {
		return tags.reduce((n, tag) => n + this.#ctx.getWebSockets(tag).length, 0);
	}

	/**
	 * Sends the next version of `audience` to every socket with one of `tags`. `make` builds the message for
	 * a tag (serialized once per tag, not per socket). With nobody listening nothing is sent and the version
	 * stays: a socket that connects later starts from a snapshot anyway.
	 */
	broadcast(audience: Audience, tags: Tag[], make: (version: number, tag: Tag) => object): void {
		const targets = tags
			.map((tag) => [tag, this.#ctx.getWebSockets(tag)] as const)
			.filter(([, sockets]) => sockets.length > 0);
		if (targets.length === 0) return;
		const version = this.version(audience) + 1;
		// Kept in SQLite so versions keep rising across hibernation and eviction.
		this.#sql.exec(
			`INSERT INTO live_versions (audience, version) VALUES (?, ?) ON CONFLICT (audience) DO UPDATE SET version = excluded.version`,
			audience,
			version,
		);
		this.#versions.set(audience, version);
		for (const [tag, sockets] of targets) {
			const text = JSON.stringify(make(version, tag));
			for (const socket of sockets) send(socket, text);
		}
	}
}

interface Pace {
	/** Messages since `windowStart`, for the flood limit. */
	windowStart: number;
	messages: number;
	/** When the socket last got a snapshot, and whether a resync waits for the next. */
	lastSnapshot: number;
	pending: boolean;
}

/** Sends, ignoring a socket that closed in the meantime. */
export function send(socket: WebSocket, message: object | string): void {
	try {
		socket.send(typeof message === "string" ? message : JSON.stringify(message));
	} catch {
		// The socket is closing; its close handler cleans up.
	}
}

export function sendError(socket: WebSocket, code: string, message: string): void {
	send(socket, { type: "error", code, message } satisfies ErrorMessage);
}

/**
 * Reads a client's message. Oversized ones close the socket (1009); malformed ones get an error message;
 * neither disturbs the object or the other sockets.
 */
function readClientMessage(socket: WebSocket, raw: string | ArrayBuffer): ClientMessage | null {
	const size = typeof raw === "string" ? raw.length : raw.byteLength;
	if (size > maxClientMessageBytes) {
		socket.close(1009, "message too large");
		return null;
	}
	if (typeof raw !== "string") {
		sendError(socket, "invalid_message", "Send JSON text messages.");
		return null;
	}
	try {
		const message = JSON.parse(raw) as unknown;
		if (message && typeof message === "object" && (message as { type?: unknown }).type === "resync")
			return { type: "resync" };
	} catch {
		// fall through to the error below
	}
	sendError(socket, "invalid_message", 'Unknown message: send {"type":"resync"} for a fresh snapshot, or "ping".');
	return null;
}

/** Refuses a socket request before it is upgraded, in the API's error shape (a 429 says when to try again). */
export function refuseUpgrade(status: number, code: string, message: string, retryAfterSeconds?: number): Response {
	if (retryAfterSeconds === undefined) return Response.json({ error: { code, message } }, { status });
	return Response.json(
		{ error: { code, message, details: { retryAfterSeconds } } },
		{ status, headers: { "retry-after": String(retryAfterSeconds) } },
	);
}

/** The 426 for a plain request to a socket endpoint, or null for an upgrade. */
export function notAnUpgrade(request: Request): Response | null {
	return isWebSocketUpgrade(request.headers)
		? null
		: refuseUpgrade(426, "upgrade_required", "This is a WebSocket endpoint.");
}
