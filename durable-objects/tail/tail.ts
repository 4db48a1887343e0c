import { DurableObject } from "cloudflare:workers";
import type { EdgeEvent } from "#contract/events.ts";
import { pingMessage, pongMessage } from "#contract/live.ts";
import { tailAccepts, tailFilterHeader, type TailFilter, type TailMessage } from "#contract/tail.ts";
import { meterDurableObject } from "../../workers/meter";
import { notAnUpgrade, refuseUpgrade, send } from "../blocks/sockets";

/**
 * The event tail hub: one object holding the hibernatable sockets of everyone running
 * `npm run events:tail`. The event consumer hands it each batch (`publish`); it sends each tailer the
 * events its filter accepts. Between batches it hibernates, and with nobody tailing the consumer stops
 * calling it (see workers/events/tail.ts), so an idle tail costs nothing.
 */
export class EventTailDO extends DurableObject<Env> {
	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env);
		meterDurableObject(this, "EventTailDO");
		ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(pingMessage, pongMessage));
	}

	override async fetch(request: Request): Promise<Response> {
		const refused = notAnUpgrade(request);
		if (refused) return refused;
		const raw = request.headers.get(tailFilterHeader);
		if (!raw) return refuseUpgrade(400, "invalid_request", "No tail filter.");
		const filter = JSON.parse(raw) as TailFilter;
		const pair = new WebSocketPair();
		const [client, server] = [pair[0], pair[1]];
		this.ctx.acceptWebSocket(server, ["tail"]);
		server.serializeAttachment(filter);
		send(server, { type: "hello", filter, tailers: this.ctx.getWebSockets("tail").length } satisfies TailMessage);
		return new Response(null, { status: 101, webSocket: client });
	}

	/** Sends a batch to every tailer whose filter accepts some of it; returns how many tailers are connected. */
	async publish(events: EdgeEvent[]): Promise<number> {
		const tailers = this.ctx.getWebSockets("tail");
		for (const socket of tailers) {
			const filter = socket.deserializeAttachment() as TailFilter;
			const matching = events.filter((event) => tailAccepts(filter, event));
			if (matching.length > 0) send(socket, { type: "events", events: matching } satisfies TailMessage);
		}
		return tailers.length;
	}

	/** Tailers only listen; pings are answered by the runtime. */
	override async webSocketMessage(): Promise<void> {}
}
