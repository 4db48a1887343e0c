import type { Context } from "hono";
import { isWebSocketUpgrade, socketProtocol } from "#contract/live.ts";
import { ApiError } from "./errors";

/**
 * How a WebSocket upgrade carries its session: as a second subprotocol beside `edgepresso`
 * (`Sec-WebSocket-Protocol: edgepresso, <token>`). Chosen over a short-lived single-use ticket because a
 * ticket costs every connect and reconnect an extra round trip (a whole venue reconnects at once when the
 * Wi-Fi comes back) and needs single-use storage somewhere, while the subprotocol carries the token once, in
 * a header that request logs do not keep, on the request that opens the socket. Browsers fail the handshake
 * unless the server selects a protocol they offered, so every accepted upgrade echoes `edgepresso`.
 */

export function isUpgrade(c: Context): boolean {
	return isWebSocketUpgrade(c.req.raw.headers);
}

/** The session token an upgrade offered beside `edgepresso`, or null when it offered none. */
export function protocolToken(c: Context): string | null {
	const header = c.req.header("sec-websocket-protocol");
	if (!isUpgrade(c) || header === undefined) return null;
	const offered = header
		.split(",")
		.map((protocol) => protocol.trim())
		.filter(Boolean);
	const others = offered.filter((protocol) => protocol !== socketProtocol);
	if (!offered.includes(socketProtocol) || others.length > 1) {
		throw new ApiError(
			"invalid_request",
			`Offer the '${socketProtocol}' WebSocket subprotocol, and your session token as the only other one.`,
		);
	}
	return others[0] ?? null;
}

/** A Durable Object's 101 reply, with `edgepresso` selected when the client offered it. */
export function acceptSocket(c: Context, response: Response): Response {
	if (response.status !== 101 || !response.webSocket || c.req.header("sec-websocket-protocol") === undefined)
		return response;
	return new Response(null, {
		status: 101,
		webSocket: response.webSocket,
		headers: { "sec-websocket-protocol": socketProtocol },
	});
}

/** The upgrade's headers as a Durable Object gets them: the token has done its work in the Worker. */
export function forwardedHeaders(c: Context): Headers {
	const headers = new Headers(c.req.raw.headers);
	headers.delete("sec-websocket-protocol");
	return headers;
}
