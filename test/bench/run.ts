import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Table from "cli-table3";
import { LoadClient, cpuMeter, percentile, rssBytes, type LoadResult } from "./load";
import { benchPhone, type PhoneRow } from "./phone";
import { costOf, originalDailyCost, type Cost } from "./prices";
import { startWorkerd } from "./workerd";
import { parseArgs } from "../../scripts/http";
import { socketProtocol } from "#contract/live.ts";

/**
 * `npm run bench`: edgepresso's performance and cost budgets (docs/design.md#budgets), measured in one run against
 * workerd directly (see workerd.ts), on this machine:
 *
 *   trivial     GET /api/health: the ceiling every other figure is a ratio to
 *   scan        POST /api/stores/:store/scans (QR redemption; opens an order)
 *   submit      PUT /api/orders/:id (the drink; numbers and queues the order)
 *   lifecycle   scan → submit → claim → complete → the attendee's socket shows READY
 *   fan-out     one store update reaching 1,000 and 10,000 connected board sockets
 *   memory      workerd's resident memory per 1,000 idle (hibernated) sockets
 *   rush        10,000 concurrent scans of one 10-drink code: exactly 10 must get in (else the bench fails)
 *   cost        billable operations one order causes, counted by the meter (workers/meter.ts), priced
 *   browser     an attendee's phone on slow 3G opening the QR code's URL: first paint, menu usable, bytes,
 *               requests (Chromium, three cold runs, median; test/bench/phone.ts), against its budget
 *
 * The speed figures come from a workerd with the meter off (as in production); the cost run from a second
 * one with the meter on. Each row also says how much CPU the client, workerd and the rest of the machine
 * used, so a reader can tell who the bottleneck was.
 *
 * Durable Object, D1 and Queue storage lives in RAM (/dev/shm) when the machine has it: on this VM's disk
 * every durable write waits for an fsync, which measures the disk rather than edgepresso (scans: 72/s on
 * disk against 191/s in RAM, with workerd then CPU-bound). `--state-on-disk` measures the disk way.
 *
 * Options: --quick (smaller runs, for trying the bench out), --compare-dev <url> (also measure the trivial
 * route through a running `npm run dev`, to show its proxy's ceiling), --state-on-disk, --out <file>
 * (default test/bench/results/latest.json), --only browser (just the browser row, which replaces the one in
 * the results file and keeps the rest).
 */

const { options } = parseArgs(process.argv.slice(2));
const quick = options.quick === true;
const scale = (n: number) => (quick ? Math.max(10, Math.round(n / 10)) : n);
const sizes = {
	trivial: scale(30_000),
	scan: scale(6_000),
	stores: 20,
	lifecycle: scale(600),
	lifecycleConcurrency: 16,
	cost: scale(200),
	// 10,000 sockets fail to connect here: workerd's open-file limit (20,000) cannot be raised in this
	// container (see raiseOpenFiles), and each socket holds more than one file. 9,500 fit.
	fanout: quick ? [100, 1_000] : [1_000, 9_500],
	fanoutUpdates: 5,
	/** Idle sockets for the memory figure (on the metered workerd, which also holds the cost run's orders). */
	memorySockets: quick ? 1_000 : 5_000,
	rush: quick ? 1_000 : 10_000,
};
const connections = 64;
const out = typeof options.out === "string" ? options.out : path.join(import.meta.dirname, "results/latest.json");
const stateIn = options["state-on-disk"] !== true && existsSync("/dev/shm") ? "/dev/shm" : undefined;

const log = (message: string) => process.stderr.write(`${message}\n`);

/** The browser row, on a fresh build of the front end (it measures what the phone downloads). */
async function phoneRow(): Promise<PhoneRow> {
	log("browser: building the front end");
	const built = spawnSync("npm", ["run", "web:build"], { stdio: ["ignore", "ignore", "inherit"] });
	if (built.status !== 0) throw new Error("npm run web:build failed");
	return benchPhone(log, stateIn);
}

function printPhone(phone: PhoneRow): void {
	const table = new Table({ head: ["", "first paint ms", "menu usable ms", "KB", "requests", "budget", ""] });
	table.push([
		`browser: phone on slow 3G (${phone.network.latencyMs} ms RTT, ${phone.network.downKbps} kbit/s)`,
		phone.firstPaintMs,
		phone.menuUsableMs,
		(phone.bytes / 1024).toFixed(1),
		phone.requests,
		`paint ≤ ${phone.budget.firstPaintMs}, menu ≤ ${phone.budget.menuUsableMs}`,
		phone.withinBudget ? "within" : "OVER BUDGET",
	]);
	console.log(table.toString());
	console.log(
		`  browser: median of ${phone.runs.length} cold runs; each (paint/menu ms): ${phone.runs.map((r) => `${r.firstPaintMs}/${r.menuUsableMs}`).join(", ")}`,
	);
}

if (options.only !== undefined) {
	if (options.only !== "browser") throw new Error(`--only takes "browser", not ${String(options.only)}`);
	const phone = await phoneRow();
	const kept = existsSync(out) ? (JSON.parse(readFileSync(out, "utf8")) as Record<string, unknown>) : {};
	mkdirSync(path.dirname(out), { recursive: true });
	writeFileSync(out, `${JSON.stringify({ ...kept, phone, phoneAt: new Date().toISOString() }, null, 2)}\n`);
	printPhone(phone);
	log(`\nwritten to ${path.relative(process.cwd(), out)}`);
	if (!phone.withinBudget) {
		console.error("\nBENCH FAILED: the phone's first screen is over its budget");
		process.exit(1);
	}
	process.exit(0);
}
const ms = (n: number) => Math.round(n * 10) / 10;
const settle = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis));

interface Throughput {
	name: string;
	what: string;
	perSecond: number;
	unit: string;
	p50: number;
	p99: number;
	/** Throughput relative to the trivial route's requests per second. */
	ratio: number | null;
	clientCpu: number;
	serverCpu: number;
	othersCpu: number;
	extra?: Record<string, number | string>;
}

function fromLoad(name: string, what: string, result: LoadResult, trivial: number | null): Throughput {
	return {
		name,
		what,
		perSecond: Math.round(result.perSecond),
		unit: "req/s",
		p50: ms(percentile(result.latencies, 0.5)),
		p99: ms(percentile(result.latencies, 0.99)),
		ratio: trivial ? result.perSecond / trivial : null,
		clientCpu: result.clientCpu,
		serverCpu: result.serverCpu,
		othersCpu: result.othersCpu,
	};
}

let workerd = await startWorkerd({ meter: false, stateIn });
log(`workerd ${workerd.pid} at ${workerd.url} (meter off)`);
let client = new LoadClient(workerd.url, connections);
let admin = workerd.adminToken;
const results: Throughput[] = [];
let failed: string | null = null;

/** Replaces the running workerd with a fresh one (empty storage). */
async function restart(meter: boolean): Promise<void> {
	await client.close();
	await workerd.stop();
	workerd = await startWorkerd({ meter, stateIn });
	log(`workerd ${workerd.pid} at ${workerd.url} (meter ${meter ? "on" : "off"})`);
	client = new LoadClient(workerd.url, connections);
	admin = workerd.adminToken;
	storeCount = 0;
}

async function must<T = any>(spec: Parameters<LoadClient["send"]>[0], status: number): Promise<T> {
	const reply = await client.send<T>(spec);
	if (reply.status !== status)
		throw new Error(`${spec.method} ${spec.path}: ${reply.status} ${JSON.stringify(reply.body)}`);
	return reply.body;
}

let storeCount = 0;
async function createStore(settings: Record<string, unknown>): Promise<{ id: string; barista: string; code: string }> {
	const id = `bench-${++storeCount}`;
	await must(
		{
			method: "POST",
			path: "/api/stores",
			token: admin,
			body: {
				id,
				name: `Bench bar ${storeCount}`,
				pins: { barista: "1357", admin: "2468" },
				settings: {
					open: true,
					drinksPerCode: 10_000,
					codeWindowSeconds: 86_400,
					capacity: 10_000,
					maxOrdersPerUserPerDay: 1_000,
					customerTimeoutSeconds: 3_600,
					baristaTimeoutSeconds: 14_400,
					...settings,
				},
			},
		},
		201,
	);
	const barista = (
		await must<{ token: string }>(
			{ method: "POST", path: `/api/stores/${id}/staff/session`, body: { pin: "1357", name: "Bench" } },
			200,
		)
	).token;
	const code = (await must<{ code: string }>({ method: "GET", path: `/api/stores/${id}/qr`, token: barista }, 200))
		.code;
	return { id, barista, code };
}

async function sessions(n: number): Promise<string[]> {
	const tokens: string[] = [];
	await client.run(
		n,
		connections,
		workerd.pid,
		() => ({ method: "POST", path: "/api/session", body: { name: "Bench Attendee" } }),
		(status, body) => {
			if (status !== 201) throw new Error(`session: ${status} ${JSON.stringify(body)}`);
			tokens.push(body.token);
		},
	);
	return tokens;
}

interface Meter {
	counts: Record<string, number>;
	totals: Record<string, number>;
}
const readMeter = () => must<Meter>({ method: "GET", path: "/api/admin/meter", token: admin }, 200);
const resetMeter = () => must({ method: "DELETE", path: "/api/admin/meter", token: admin }, 204);

/** Waits until the consumer has archived every event so far: the count in D1 stops moving. */
async function quiet(timeoutMs = 180_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	let last = -1;
	for (;;) {
		const now = await workerd.archivedEvents();
		if (now === last) return;
		if (Date.now() > deadline) throw new Error("the event queue did not go quiet");
		last = now;
		await settle(1_500);
	}
}

/** Waits until the consumer has acknowledged every event written so far (the meter counts both). */
async function drained(timeoutMs = 120_000): Promise<Meter> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const meter = await readMeter();
		const written = Object.entries(meter.counts)
			.filter(([key]) => key.startsWith("queue.writes."))
			.reduce((n, [, v]) => n + v, 0);
		if ((meter.counts["queue.acks"] ?? 0) >= written) return meter;
		if (Date.now() > deadline)
			throw new Error(`the queue did not drain: ${meter.counts["queue.acks"]} of ${written} acknowledged`);
		await settle(200);
	}
}

/** Opens a socket (with a session, as the subprotocol beside `edgepresso`) and resolves once its first message (the snapshot) arrived. */
function openSocket(
	url: string,
	token: string | null,
	onMessage?: (data: string, at: number) => void,
): Promise<WebSocket> {
	return new Promise((resolve, reject) => {
		const socket = new WebSocket(url, token ? [socketProtocol, token] : [socketProtocol]);
		let opened = false;
		socket.addEventListener("message", (event) => {
			const at = performance.now();
			if (!opened) {
				opened = true;
				resolve(socket);
				return;
			}
			onMessage?.(String(event.data), at);
		});
		socket.addEventListener("error", () => !opened && reject(new Error(`socket ${url} failed`)));
		socket.addEventListener("close", (event) => !opened && reject(new Error(`socket ${url} closed: ${event.code}`)));
	});
}
const wsUrl = (p: string) => `${workerd.url.replace(/^http/, "ws")}${p}`;

const drinks = [
	{ drink: "latte", options: { milk: "oat", size: "large" } },
	{ drink: "espresso", options: { shots: "double" } },
	{ drink: "cappuccino", options: { milk: "soy", syrup: ["vanilla"] } },
	{ drink: "tea", options: {} },
];

try {
	log("preparing: 10,000 attendee sessions");
	const attendees = await sessions(Math.max(sizes.rush, sizes.scan + sizes.lifecycle + sizes.cost));

	// ---- trivial route ----------------------------------------------------------------------------------
	log("trivial route");
	await client.run(2_000, connections, workerd.pid, () => ({ method: "GET", path: "/api/health" }));
	const trivialRun = await client.run(
		sizes.trivial,
		connections,
		workerd.pid,
		() => ({ method: "GET", path: "/api/health" }),
		(status) => {
			if (status !== 200) throw new Error(`health: ${status}`);
		},
	);
	const trivial = trivialRun.perSecond;
	results.push(fromLoad("trivial", "GET /api/health", trivialRun, trivial));

	if (typeof options["compare-dev"] === "string") {
		const dev = new LoadClient(options["compare-dev"], connections);
		const run = await dev.run(5_000, connections, workerd.pid, () => ({ method: "GET", path: "/api/health" }));
		results.push({
			...fromLoad("trivial via wrangler dev", `GET /api/health through ${options["compare-dev"]}`, run, trivial),
			serverCpu: Number.NaN,
		});
		await dev.close();
	}

	// ---- scan and submit, over several stores -----------------------------------------------------------
	log(`scan: ${sizes.scan} scans over ${sizes.stores} stores`);
	const stores: Awaited<ReturnType<typeof createStore>>[] = [];
	for (let i = 0; i < sizes.stores; i++) stores.push(await createStore({}));
	const warm = Math.round(sizes.scan / 10);
	const orders: { id: string; token: string }[] = [];
	const scanOf = (i: number) => ({
		method: "POST" as const,
		path: `/api/stores/${stores[i % stores.length]!.id}/scans`,
		token: attendees[i]!,
		body: { code: stores[i % stores.length]!.code },
	});
	await client.run(
		warm,
		connections,
		workerd.pid,
		(i) => scanOf(i),
		(status, body) => {
			if (status !== 201) throw new Error(`scan: ${status} ${JSON.stringify(body)}`);
		},
	);
	await quiet();
	const scanRun = await client.run(
		sizes.scan - warm,
		connections,
		workerd.pid,
		(i) => scanOf(warm + i),
		(status, body, i) => {
			if (status !== 201) throw new Error(`scan: ${status} ${JSON.stringify(body)}`);
			orders[i] = { id: body.orderId, token: attendees[warm + i]! };
		},
	);
	results.push(fromLoad("scan", `POST /api/stores/:store/scans, ${sizes.stores} stores`, scanRun, trivial));
	await quiet();

	log(`submit: ${orders.length} drinks`);
	const submitRun = await client.run(
		orders.length,
		connections,
		workerd.pid,
		(i) => ({
			method: "PUT",
			path: `/api/orders/${orders[i]!.id}`,
			token: orders[i]!.token,
			body: drinks[i % drinks.length],
		}),
		(status, body) => {
			if (status !== 200) throw new Error(`submit: ${status} ${JSON.stringify(body)}`);
		},
	);
	results.push(fromLoad("submit", "PUT /api/orders/:id", submitRun, trivial));
	await quiet();

	// ---- full lifecycle, with the attendee's socket ------------------------------------------------------
	log(`lifecycle: ${sizes.lifecycle} orders, ${sizes.lifecycleConcurrency} at a time`);
	const bar = await createStore({});
	const lifecycleTokens = attendees.slice(sizes.scan, sizes.scan + sizes.lifecycle);
	const lifecycle = async (token: string, store: { id: string; barista: string; code: string }) => {
		const started = performance.now();
		const { orderId } = await must<{ orderId: string }>(
			{ method: "POST", path: `/api/stores/${store.id}/scans`, token, body: { code: store.code } },
			201,
		);
		let readyAt = 0;
		let markReady: () => void = () => {};
		const ready = new Promise<void>((resolve) => (markReady = resolve));
		const socket = await openSocket(wsUrl(`/api/orders/${orderId}/ws`), token, (data, at) => {
			if (!readyAt && data.includes('"state":"READY"')) {
				readyAt = at;
				markReady();
			}
		});
		await must({ method: "PUT", path: `/api/orders/${orderId}`, token, body: drinks[0] }, 200);
		await must({ method: "POST", path: `/api/orders/${orderId}/claim`, token: store.barista }, 200);
		const completing = performance.now();
		await must({ method: "POST", path: `/api/orders/${orderId}/complete`, token: store.barista }, 200);
		await ready;
		socket.close();
		return { total: readyAt - started, completeToReady: readyAt - completing };
	};
	const runFlows = async (tokens: string[], concurrency: number, store: typeof bar) => {
		const totals: number[] = [];
		const seen: number[] = [];
		let next = 0;
		const done = cpuMeter(workerd.pid);
		await Promise.all(
			Array.from({ length: concurrency }, async () => {
				while (next < tokens.length) {
					const { total, completeToReady } = await lifecycle(tokens[next++]!, store);
					totals.push(total);
					seen.push(completeToReady);
				}
			}),
		);
		const cpu = done();
		totals.sort((a, b) => a - b);
		seen.sort((a, b) => a - b);
		return { totals, seen, ...cpu };
	};
	await runFlows(lifecycleTokens.slice(0, 20), 4, bar);
	const flows = await runFlows(lifecycleTokens.slice(20), sizes.lifecycleConcurrency, bar);
	const ordersPerSecond = (lifecycleTokens.length - 20) / flows.seconds;
	// Five requests reach the Worker per order: scan, socket, submit, claim, complete.
	results.push({
		name: "lifecycle",
		what: "scan → submit → claim → complete → READY on the attendee's socket",
		perSecond: Math.round(ordersPerSecond * 10) / 10,
		unit: "orders/s",
		p50: ms(percentile(flows.totals, 0.5)),
		p99: ms(percentile(flows.totals, 0.99)),
		ratio: (ordersPerSecond * 5) / trivial,
		clientCpu: flows.clientCpu,
		serverCpu: flows.serverCpu,
		othersCpu: flows.othersCpu,
		extra: {
			"complete → READY seen p50 ms": ms(percentile(flows.seen, 0.5)),
			"complete → READY seen p99 ms": ms(percentile(flows.seen, 0.99)),
		},
	});
	await quiet();

	// ---- 10,000 concurrent scans of one 10-drink code ---------------------------------------------------
	log(`rush: ${sizes.rush} concurrent scans of one 10-drink code`);
	const rushBar = await createStore({ drinksPerCode: 10, capacity: 100 });
	const rushClient = new LoadClient(workerd.url, 512);
	const rushRun = await rushClient.run(sizes.rush, sizes.rush, workerd.pid, (i) => ({
		method: "POST",
		path: `/api/stores/${rushBar.id}/scans`,
		token: attendees[i]!,
		body: { code: rushBar.code },
	}));
	await rushClient.close();
	const admitted = rushRun.statuses[201] ?? 0;
	const refusedExhausted = rushRun.codes.code_exhausted ?? 0;
	const rush = {
		scans: sizes.rush,
		admitted,
		codeExhausted: refusedExhausted,
		statuses: rushRun.statuses,
		codes: rushRun.codes,
	};
	results.push({
		...fromLoad("rush", `${sizes.rush.toLocaleString("en")} concurrent scans, one 10-drink code`, rushRun, trivial),
		extra: { admitted, "refused code_exhausted": refusedExhausted },
	});
	if (admitted !== 10 || refusedExhausted !== sizes.rush - 10) {
		failed = `rush: ${admitted} admitted (must be exactly 10), ${refusedExhausted} refused code_exhausted; statuses ${JSON.stringify(rushRun.statuses)}`;
	}

	// ---- fan-out, on a fresh workerd --------------------------------------------------------------------------
	// The thousands of order objects above each keep a SQLite file open; with 10,000 sockets on top, workerd
	// would run out of file descriptors (the limit here is 20,000), so fan-out gets a workerd of its own.
	await restart(false);
	let boardBar = await createStore({});
	let sockets: WebSocket[] = [];
	const fanouts: {
		sockets: number;
		p50: number;
		p99: number;
		perSecond: number;
		clientCpu: number;
		serverCpu: number;
		othersCpu: number;
	}[] = [];
	let receivedAt: number[] = [];
	const connect = async (target: number) => {
		while (sockets.length < target) {
			const batch = Math.min(250, target - sockets.length);
			const opened = await Promise.all(
				Array.from({ length: batch }, () =>
					openSocket(wsUrl(`/api/stores/${boardBar.id}/ws`), null, (data, at) => {
						if (data.includes('"type":"store"')) receivedAt.push(at);
					}),
				),
			);
			sockets.push(...opened);
		}
	};
	let paused = false;
	for (const target of sizes.fanout) {
		log(`fan-out: ${target} sockets`);
		await connect(target);
		const latencies: number[] = [];
		const done = cpuMeter(workerd.pid);
		let busy = 0;
		for (let u = 0; u < sizes.fanoutUpdates; u++) {
			receivedAt = [];
			paused = !paused;
			const sent = performance.now();
			await must(
				{ method: "PATCH", path: `/api/stores/${boardBar.id}`, token: boardBar.barista, body: { paused } },
				200,
			);
			const deadline = Date.now() + 60_000;
			while (receivedAt.length < target && Date.now() < deadline) await settle(5);
			if (receivedAt.length < target)
				throw new Error(`fan-out: only ${receivedAt.length} of ${target} sockets got the update`);
			for (const at of receivedAt) latencies.push(at - sent);
			busy += Math.max(...receivedAt) - sent;
		}
		const cpu = done();
		latencies.sort((a, b) => a - b);
		fanouts.push({
			sockets: target,
			p50: ms(percentile(latencies, 0.5)),
			p99: ms(percentile(latencies, 0.99)),
			perSecond: Math.round((target * sizes.fanoutUpdates) / (busy / 1000)),
			clientCpu: cpu.clientCpu,
			serverCpu: cpu.serverCpu,
			othersCpu: cpu.othersCpu,
		});
	}
	for (const f of fanouts) {
		results.push({
			name: `fan-out ${f.sockets.toLocaleString("en")}`,
			what: `one store update to ${f.sockets.toLocaleString("en")} board sockets (${sizes.fanoutUpdates} updates)`,
			perSecond: f.perSecond,
			unit: "msgs/s",
			p50: f.p50,
			p99: f.p99,
			ratio: null,
			clientCpu: f.clientCpu,
			serverCpu: f.serverCpu,
			othersCpu: f.othersCpu,
		});
	}
	for (const socket of sockets) socket.close();

	// ---- cost per order ---------------------------------------------------------------------------------
	// Short timers, so the alarm each finished order leaves armed fires within the measurement.
	log(`cost: ${sizes.cost} orders, each from a new attendee session to READY, then their leftover alarms`);
	await restart(true);
	const meteredTrivial = await client.run(sizes.trivial / 3, connections, workerd.pid, () => ({
		method: "GET",
		path: "/api/health",
	}));
	results.push(fromLoad("trivial, meter on", "GET /api/health with the cost meter counting", meteredTrivial, trivial));
	const costBar = await createStore({ customerTimeoutSeconds: 5, baristaTimeoutSeconds: 5 });
	await resetMeter();
	const costCpu = cpuMeter(workerd.pid);
	let next = 0;
	await Promise.all(
		Array.from({ length: 8 }, async () => {
			while (next < sizes.cost) {
				next++;
				const { token } = await must<{ token: string }>(
					{ method: "POST", path: "/api/session", body: { name: "Cost" } },
					201,
				);
				await lifecycle(token, costBar);
			}
		}),
	);
	await settle(8_000);
	const meter = await drained();
	const { seconds: costSeconds, serverCpu: costServerCpu } = costCpu();
	const cost: Cost = costOf(meter.totals as never, sizes.cost, (costSeconds * costServerCpu * 1000) / sizes.cost);

	// ---- memory per idle socket ---------------------------------------------------------------------------
	// On the metered workerd, whose meter shows whether the store hibernated: delivering an update to an
	// object that hibernated constructs it again.
	boardBar = await createStore({});
	sockets = [];
	await settle(15_000);
	const rssBefore = rssBytes(workerd.pid);
	log(`memory: ${sizes.memorySockets} idle sockets, waiting for the store to hibernate`);
	await connect(sizes.memorySockets);
	const wakesBefore = (await readMeter()).counts["do.wakes.StoreDO"] ?? 0;
	await settle(20_000);
	const rssIdle = rssBytes(workerd.pid);
	const socketCount = sockets.length;
	receivedAt = [];
	await must(
		{ method: "PATCH", path: `/api/stores/${boardBar.id}`, token: boardBar.barista, body: { paused: true } },
		200,
	);
	const wakesAfter = (await readMeter()).counts["do.wakes.StoreDO"] ?? 0;
	const memory = {
		sockets: socketCount,
		rssBeforeMiB: rssBefore / 2 ** 20,
		rssIdleMiB: rssIdle / 2 ** 20,
		perThousandMiB: (rssIdle - rssBefore) / 2 ** 20 / (socketCount / 1000),
		hibernated: wakesAfter > wakesBefore,
	};
	for (const socket of sockets) socket.close();

	// ---- the phone on slow 3G (its own workerd, serving the front end too; the one above is idle) -----------
	const phone = await phoneRow();
	if (!phone.withinBudget && !failed) failed = "browser: the phone's first screen is over its budget";

	// ---- report -----------------------------------------------------------------------------------------
	const report = {
		at: new Date().toISOString(),
		machine: {
			cpus: os.cpus().length,
			model: os.cpus()[0]?.model ?? "?",
			memoryGiB: Math.round(os.totalmem() / 2 ** 30),
			node: process.version,
			load: os.loadavg(),
		},
		quick,
		state: stateIn ?? "disk",
		budgets: { scanRatio: 0.4, submitRatio: 0.4 },
		results,
		memory,
		rush,
		cost,
		phone,
		meterPerOrder: Object.fromEntries(
			Object.entries(meter.counts).map(([k, v]) => [k, Math.round((v / sizes.cost) * 100) / 100]),
		),
		failed,
	};
	mkdirSync(path.dirname(out), { recursive: true });
	writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
	print(report);
	printPhone(phone);
	log(`\nwritten to ${path.relative(process.cwd(), out)}`);
} catch (error) {
	failed = error instanceof Error ? (error.stack ?? error.message) : String(error);
} finally {
	await client.close();
	await workerd.stop();
}
if (failed) {
	console.error(`\nBENCH FAILED: ${failed}`);
	process.exit(1);
}

function pct(n: number | null): string {
	return n === null ? "" : `${Math.round(n * 100)}%`;
}

function print(report: {
	results: Throughput[];
	memory: Record<string, number | boolean>;
	cost: Cost;
	machine: { cpus: number; model: string };
	state: string;
}) {
	const table = new Table({
		head: [
			"",
			"throughput",
			"p50 ms",
			"p99 ms",
			"vs trivial",
			"workerd CPU ms each",
			"CPU: workerd",
			"client",
			"others",
		],
	});
	for (const r of report.results) {
		table.push([
			r.name,
			`${r.perSecond.toLocaleString("en")} ${r.unit}`,
			r.p50,
			r.p99,
			pct(r.ratio),
			Number.isNaN(r.serverCpu) ? "" : ((r.serverCpu / r.perSecond) * 1000).toFixed(2),
			Number.isNaN(r.serverCpu) ? "" : pct(r.serverCpu),
			pct(r.clientCpu),
			pct(r.othersCpu),
		]);
	}
	console.log(
		`\nedgepresso bench — workerd direct, storage in ${report.state}, ${report.machine.cpus} × ${report.machine.model}`,
	);
	console.log(table.toString());
	for (const r of report.results) {
		if (r.extra)
			console.log(
				`  ${r.name}: ${Object.entries(r.extra)
					.map(([k, v]) => `${k} ${v}`)
					.join(", ")}`,
			);
	}
	const m = report.memory as {
		sockets: number;
		perThousandMiB: number;
		rssBeforeMiB: number;
		rssIdleMiB: number;
		hibernated: boolean;
	};
	console.log(
		`  memory: ${m.perThousandMiB.toFixed(1)} MiB of workerd RSS per 1,000 idle sockets (${m.sockets.toLocaleString("en")} sockets: ` +
			`${m.rssBeforeMiB.toFixed(0)} → ${m.rssIdleMiB.toFixed(0)} MiB; the store ${m.hibernated ? "hibernated" : "did not hibernate"} while idle)`,
	);
	const c = report.cost;
	const costTable = new Table({ head: ["per order (measured)", "count", "$ per 1,000 orders"] });
	for (const line of c.lines) costTable.push([line.name, line.perOrder.toFixed(2), `$${line.per1000.toFixed(5)}`]);
	costTable.push(["total", "", `$${c.per1000.toFixed(4)}`]);
	console.log(costTable.toString());
	console.log(
		`  original Serverlesspresso: $${originalDailyCost.aws.toFixed(2)} a day for ~1,000 drinks + ~$${originalDailyCost.sms.toFixed(2)} a day of SMS ` +
			`= $${(originalDailyCost.aws + originalDailyCost.sms).toFixed(2)}; edgepresso: $${c.per1000.toFixed(4)} per 1,000 orders (Web Push: free)`,
	);
}
