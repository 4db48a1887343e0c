import { exports } from "cloudflare:workers";
import { socketProtocol } from "#contract/live.ts";
import { contractBreach } from "./contract";
import { until } from "./until";

/** A test's end of a WebSocket: every message it got, and a way to wait for the next that matches. */
export interface TestSocket {
	socket: WebSocket;
	messages: any[];
	closed: Promise<CloseEvent>;
	next(test?: (message: any) => boolean): Promise<any>;
	send(message: unknown): void;
}

/**
 * An upgrade request as a browser sends it: the session, if any, as the subprotocol beside `edgepresso`. A reply
 * the OpenAPI document does not declare fails the test (test/contract.ts).
 */
export async function upgrade(path: string, token?: string, headers: Record<string, string> = {}): Promise<Response> {
	const protocols = token ? `${socketProtocol}, ${token}` : socketProtocol;
	const response = await exports.default.fetch(
		new Request(`https://edgepresso.test${path}`, {
			headers: { upgrade: "websocket", "sec-websocket-protocol": protocols, ...headers },
		}),
	);
	const text = response.status === 101 ? "" : await response.clone().text();
	const breach = await contractBreach("GET", path, response.status, response.headers.get("content-type"), text);
	if (breach) throw new Error(`The reply breaks the OpenAPI document: ${breach}`);
	return response;
}

/**
 * Opens a WebSocket through the Worker, as a browser would; like a browser, fails unless `edgepresso` is
 * selected. `headers` add to the upgrade request (the client's address, say).
 */
export async function openSocket(
	path: string,
	token?: string,
	headers: Record<string, string> = {},
): Promise<TestSocket> {
	const response = await upgrade(path, token, headers);
	if (response.status !== 101 || !response.webSocket) {
		throw new Error(`socket ${path}: ${response.status} ${await response.text()}`);
	}
	if (response.headers.get("sec-websocket-protocol") !== socketProtocol) {
		throw new Error(
			`socket ${path}: the server selected ${response.headers.get("sec-websocket-protocol")}, not ${socketProtocol}`,
		);
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
		async next(test = () => true) {
			return until(() => {
				for (let i = seen; i < messages.length; i++) {
					if (test(messages[i])) {
						seen = i + 1;
						return messages[i];
					}
				}
				return false;
			}, 5);
		},
		send(message) {
			socket.send(typeof message === "string" ? message : JSON.stringify(message));
		},
	};
}

/** The status a refused upgrade gets, its error body and headers. */
export async function refusedSocket(
	path: string,
	token?: string,
	headers: Record<string, string> = {},
): Promise<{ status: number; body: any; headers: Headers }> {
	const response = await upgrade(path, token, headers);
	if (response.webSocket) {
		response.webSocket.accept();
		response.webSocket.close(1000, "expected a refusal");
	}
	return {
		status: response.status,
		body: response.status === 101 ? null : await response.json(),
		headers: response.headers,
	};
}
