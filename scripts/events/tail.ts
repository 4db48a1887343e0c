import type { EdgeEvent } from "#contract/events.ts";
import { socketProtocol } from "#contract/live.ts";
import type { TailMessage } from "#contract/tail.ts";
import { adminToken } from "../admin-token";
import { parseArgs } from "../http";
import { print, printable, printError } from "../terminal";

/**
 * `npm run events:tail -- [--store <id>] [--type <pattern>[,<pattern>…]] [--url <base>] [--json]`
 *
 * The live event stream in the terminal: every event the consumer handles, as it handles it, filtered by
 * store and type pattern (`OrderManager.*`, `Validator.NewOrder`, `*`). Needs the deployment's admin token
 * (`--admin-token`, `$ADMIN_TOKEN`, or .dev.vars). Reconnects by itself; Ctrl-C to stop.
 */
const usage =
	"usage: npm run events:tail -- [--store <id>] [--type <pattern>[,…]] [--url http://localhost:8787] [--json] [--admin-token <token>]";
const { options } = parseArgs(process.argv.slice(2));
if (options.help) {
	console.log(usage);
	process.exit(0);
}
const base = typeof options.url === "string" ? options.url : "http://localhost:8787";
const found = adminToken(options["admin-token"]);
if (!found) {
	console.error(`events:tail needs the admin token: --admin-token, $ADMIN_TOKEN or .dev.vars\n${usage}`);
	process.exit(2);
}
const token: string = found;
const url = new URL("/api/admin/events/ws", base);
url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
if (typeof options.store === "string") url.searchParams.set("store", options.store);
if (typeof options.type === "string") url.searchParams.set("type", options.type);

const dim = (text: string) => (process.stdout.isTTY ? `\x1b[2m${text}\x1b[0m` : text);
const time = (iso: string) => iso.slice(11, 23);

/** One line a person can read: what happened, to which order, in which store. */
function describe(event: EdgeEvent): string {
	const [text, id] = summary(event);
	// The summary holds what people typed; only the id's dimming is ours to send as an escape.
	return `${printable(text)}${id ? ` ${dim(id.slice(0, 8))}` : ""}`;
}

function summary(event: EdgeEvent): [string, string | null] {
	const head = `${time(event.time)}  ${event.storeId.padEnd(16)} ${event.type.padEnd(32)}`;
	const detail = event.detail as Record<string, unknown>;
	if ("order" in detail) {
		const o = event.detail as {
			order: {
				number: number | null;
				state: string;
				drink: { name: string } | null;
				name: string | null;
				reason: string | null;
				id: string;
			};
		};
		const what = [
			o.order.number === null ? "" : `#${o.order.number}`,
			o.order.state,
			o.order.drink?.name,
			o.order.name && `for ${o.order.name}`,
			o.order.reason && `(${o.order.reason})`,
		];
		return [`${head} ${what.filter(Boolean).join(" ")}`, o.order.id];
	}
	if (event.type === "Validator.NewOrder") {
		const d = detail as { orderId: string; tokensLeft: number; tokensTotal: number; openOrders: number };
		return [
			`${head} admitted, code ${d.tokensTotal - d.tokensLeft}/${d.tokensTotal} used, ${d.openOrders} open`,
			d.orderId,
		];
	}
	if (event.type === "OrderProcessor.ShopUnavailable")
		return [`${head} turned away: ${(detail as { reason: string }).reason}`, null];
	if (event.type === "ConfigService.ConfigChanged")
		return [`${head} changed: ${(detail as { changed: string[] }).changed.join(", ")}`, null];
	return [head, null];
}

let attempt = 0;
function connect(): void {
	// The token rides as the subprotocol beside `edgepresso`, never in the URL (request logs keep URLs).
	const socket = new WebSocket(url.toString(), [socketProtocol, token]);
	socket.addEventListener("message", (message) => {
		if (message.data === "pong") return;
		const data = JSON.parse(String(message.data)) as TailMessage | { type: "error"; message: string };
		if (data.type === "hello") {
			attempt = 0;
			const store = data.filter.store ?? "every store";
			console.error(
				dim(printable(`tailing ${data.filter.types.join(", ")} of ${store} on ${base} (${data.tailers} tailing)`)),
			);
		} else if (data.type === "events") {
			for (const event of data.events) {
				if (options.json) print(JSON.stringify(event));
				else console.log(describe(event));
			}
		}
	});
	const ping = setInterval(() => socket.readyState === WebSocket.OPEN && socket.send("ping"), 25_000);
	socket.addEventListener("close", (close) => {
		clearInterval(ping);
		const delay = Math.min(15_000, 500 * 2 ** attempt++);
		console.error(
			dim(`disconnected (${close.code || "no connection"}); reconnecting in ${(delay / 1000).toFixed(1)} s`),
		);
		setTimeout(connect, delay);
	});
}

// Check the token and filter over HTTP first, so a mistake gets the API's own words, not a bare socket error.
const probe = await fetch(new URL(`${url.pathname}${url.search}`, base), {
	headers: { authorization: `Bearer ${token}` },
}).catch((error: unknown) => {
	console.error(`cannot reach ${base}: ${String(error)}`);
	process.exit(1);
});
if (probe.status !== 426) {
	const body = (await probe.json().catch(() => null)) as { error?: { message: string } } | null;
	printError(`events:tail refused (${probe.status}): ${body?.error?.message ?? probe.statusText}`);
	process.exit(1);
}
connect();
