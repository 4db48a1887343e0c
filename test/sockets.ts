import { exports } from "cloudflare:workers";
import { vi } from "vitest";

/** A test's end of a WebSocket: every message it got, and a way to wait for the next that matches. */
export interface TestSocket {
	socket: WebSocket;
	messages: any[];
	closed: Promise<CloseEvent>;
	next(test?: (message: any) => boolean, timeoutMs?: number): Promise<any>;
	send(message: unknown): void;
}

/** Opens a WebSocket through the Worker, as a browser would (the token in the query); `headers` add to the upgrade request. */
export async function openSocket(path: string, headers: Record<string, string> = {}): Promise<TestSocket> {
	const response = await exports.default.fetch(new Request(`https://edgepresso.test${path}`, { headers: { ...headers, upgrade: "websocket" } }));
	if (response.status !== 101 || !response.webSocket) {
		throw new Error(`socket ${path}: ${response.status} ${await response.text()}`);
	}
	const socket = response.webSocket;
	socket.accept();
	const messages: any[] = [];
	let seen = 0;
	socket.addEventListener("message", (event) => {
		const data = event.data as string;
		messages.push(data === "pong" ? data : JSON.parse(data));
	});
	const closed = new Promise<CloseEvent>((resolve) => socket.addEventListener("close", resolve));
	return {
		socket,
		messages,
		closed,
		async next(test = () => true, timeoutMs = 10_000) {
			return vi.waitUntil(
				() => {
					for (let i = seen; i < messages.length; i++) {
						if (test(messages[i])) {
							seen = i + 1;
							return messages[i];
						}
					}
					return false;
				},
				{ timeout: timeoutMs, interval: 5 },
			);
		},
		send(message) {
			socket.send(typeof message === "string" ? message : JSON.stringify(message));
		},
	};
}

/** The status a refused upgrade gets, its error body and headers. */
export async function refusedSocket(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: any; headers: Headers }> {
	const response = await exports.default.fetch(new Request(`https://edgepresso.test${path}`, { headers: { ...headers, upgrade: "websocket" } }));
	return { status: response.status, body: await response.json(), headers: response.headers };
}
