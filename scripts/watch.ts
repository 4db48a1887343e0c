import { orderChannel, staffChannel } from "#client/live.ts";
import type { ServerMessage } from "#contract/live.ts";
import type { Order } from "#contract/order.ts";
import { call, parseArgs } from "./http";
import { print, printError } from "./terminal";

/**
 * Watch edgepresso live from a terminal, with the same client library the front ends use.
 *
 *   npm run watch -- store demo --pin 1234 [--make]   a barista's view of every order; --make claims and
 *                                                      completes each new order after a few seconds
 *   npm run watch -- order demo --pin 1234 [--drink latte]
 *                                                      an attendee: scans the code the display shows (read
 *                                                      with the PIN), orders, and follows the order
 */
const usage =
	"usage: npm run watch -- store <store> --pin <pin> [--make] | order <store> --pin <pin> [--drink <id>] [--name <name>]";
const { positional, options } = parseArgs(process.argv.slice(2));
const [mode, storeId] = positional;
const base = typeof options.url === "string" ? options.url : "http://localhost:8787";
if ((mode !== "store" && mode !== "order") || !storeId || typeof options.pin !== "string") {
	console.error(usage);
	process.exit(2);
}

const time = () => new Date().toISOString().slice(11, 23);
const wait = (seconds: number) => (seconds < 90 ? `${seconds} s` : `${Math.round(seconds / 60)} min`);
const describe = (o: Order) =>
	`#${o.number ?? "-"} ${o.name ?? "(no name)"} ${o.drink ? `${o.drink.name}${o.options.length ? ` (${o.options.map((x) => `${x.group}: ${x.label}`).join(", ")})` : ""}` : ""} ${o.state}` +
	(o.position !== undefined ? `, place ${o.position}` : "") +
	(o.etaSeconds !== undefined ? `, ready in ~${wait(o.etaSeconds)}` : "") +
	(o.reason ? ` (${o.reason})` : "");

const barista = await call<{ token: string }>(base, "POST", `/api/stores/${storeId}/staff/session`, {
	body: { pin: options.pin, name: "Terminal" },
});

if (mode === "store") {
	const making = new Set<string>();
	const channel = staffChannel(base, storeId, () => barista.token, {
		onMessage: (message: ServerMessage) => {
			if (message.type === "snapshot" && "view" in message) {
				print(
					`${time()} v${message.version} snapshot: ${message.view.store.name}, ${message.view.orders.length} orders, ${message.view.store.open ? "open" : "closed"}`,
				);
			} else if (message.type === "order") {
				print(`${time()} v${message.version} ${describe(message.order)}`);
				if (options.make && message.order.state === "QUEUED" && !making.has(message.order.id)) {
					making.add(message.order.id);
					const id = message.order.id;
					setTimeout(
						() =>
							void call(base, "POST", `/api/orders/${id}/claim`, { token: barista.token }).catch((error) =>
								printError(String(error)),
							),
						2000,
					);
					setTimeout(
						() =>
							void call(base, "POST", `/api/orders/${id}/complete`, { token: barista.token }).catch((error) =>
								printError(String(error)),
							),
						5000,
					);
				}
			} else if (message.type !== "snapshot") {
				print(`${time()} v${"version" in message ? message.version : "-"} ${message.type}`);
			}
		},
	});
	channel.subscribe((state) => state.status !== "live" && print(`${time()} socket ${state.status}`));
} else {
	const me = await call<{ token: string }>(base, "POST", "/api/session", {
		body: { name: typeof options.name === "string" ? options.name : "Terminal Tess" },
	});
	const { code } = await call<{ code: string }>(base, "GET", `/api/stores/${storeId}/qr`, { token: barista.token });
	const { orderId } = await call<{ orderId: string }>(base, "POST", `/api/stores/${storeId}/scans`, {
		token: me.token,
		body: { code },
	});
	print(`${time()} scanned: order ${orderId}`);
	const channel = orderChannel(base, orderId, () => me.token, {
		onMessage: (message: ServerMessage) => {
			if (message.type === "snapshot" && "order" in message)
				print(`${time()} v${message.version} snapshot: ${describe(message.order)}`);
			else if (message.type === "order") print(`${time()} v${message.version} ${describe(message.order)}`);
		},
	});
	await channel.when((s) => s.data !== null);
	const drink = typeof options.drink === "string" ? options.drink : "latte";
	await call(base, "PUT", `/api/orders/${orderId}`, { token: me.token, body: { drink, options: {} } });
	const done = await channel.when(
		(s) => s.data !== null && ["READY", "CANCELLED", "TIMED_OUT"].includes(s.data.state),
		30 * 60_000,
	);
	print(`${time()} done: ${describe(done.data!)}`);
	channel.close();
}
