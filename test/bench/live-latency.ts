import { readFileSync } from "node:fs";
import { orderChannel } from "#client/live.ts";
import { call, parseArgs } from "../../scripts/http";

/**
 * Latency of the live path: from a barista's `complete` to the attendee's socket showing READY, over many
 * orders, against a running edgepresso (default: `npm run dev` on :8787).
 *
 *   npm run bench:live -- [--url http://localhost:8787] [--orders 300] [--concurrency 4]
 */
const { options } = parseArgs(process.argv.slice(2));
const base = typeof options.url === "string" ? options.url : "http://localhost:8787";
const total = Number(options.orders ?? 300);
const concurrency = Number(options.concurrency ?? 4);
const adminToken =
	process.env.ADMIN_TOKEN ?? /ADMIN_TOKEN\s*=\s*"?([^"\n]+)"?/.exec(readFileSync(".dev.vars", "utf8"))?.[1] ?? "";

const storeId = `latency-${Date.now().toString(36)}`;
await call(base, "POST", "/api/stores", {
	token: adminToken,
	body: {
		id: storeId,
		name: "Latency bench",
		pins: { barista: "1357", admin: "2468" },
		settings: {
			open: true,
			drinksPerCode: 10_000,
			capacity: 1_000,
			maxOrdersPerUserPerDay: 1_000,
			codeWindowSeconds: 3_600,
		},
	},
});
const barista = (
	await call<{ token: string }>(base, "POST", `/api/stores/${storeId}/staff/session`, { body: { pin: "1357" } })
).token;
const { code } = await call<{ code: string }>(base, "GET", `/api/stores/${storeId}/qr`, { token: barista });

async function oneOrder(): Promise<number> {
	const me = (await call<{ token: string }>(base, "POST", "/api/session", { body: { name: "Bench" } })).token;
	const { orderId } = await call<{ orderId: string }>(base, "POST", `/api/stores/${storeId}/scans`, {
		token: me,
		body: { code },
	});
	await call(base, "PUT", `/api/orders/${orderId}`, { token: me, body: { drink: "latte", options: {} } });
	const channel = orderChannel(base, orderId, () => me);
	await channel.when((s) => s.data?.state === "QUEUED");
	await call(base, "POST", `/api/orders/${orderId}/claim`, { token: barista });
	await channel.when((s) => s.data?.state === "MAKING");
	const started = performance.now();
	const seen = channel.when((s) => s.data?.state === "READY", 30_000);
	await call(base, "POST", `/api/orders/${orderId}/complete`, { token: barista });
	await seen;
	const latency = performance.now() - started;
	channel.close();
	return latency;
}

const latencies: number[] = [];
let next = 0;
await Promise.all(
	Array.from({ length: concurrency }, async () => {
		while (next < total) {
			next++;
			latencies.push(await oneOrder());
		}
	}),
);
latencies.sort((a, b) => a - b);
const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!.toFixed(1);
console.log(
	`complete → attendee socket READY over ${latencies.length} orders (concurrency ${concurrency}, ${base}): ` +
		`p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, p99 ${at(0.99)} ms, max ${latencies.at(-1)!.toFixed(1)} ms`,
);
