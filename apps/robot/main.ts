import cliProgress from "cli-progress";
import Table from "cli-table3";
import { apiClient, read } from "#client/api.ts";
import { adminToken } from "../../scripts/admin-token";
import { parseArgs } from "../../scripts/http";
import { print, printable, printError } from "../../scripts/terminal";
import { audit, type AuditResult } from "./audit";
import { Attendee, Barista, Display, type Admission, type Plan } from "./people";
import { Tally, measures, outcomes, summary } from "./stats";

const usage = `The robot: N attendees and M baristas placing and making orders against an edgepresso, the way the
phone and tablet front ends do, then an audit for lost orders.

usage: npm run robot -- [options]

  --url <base>             edgepresso to run against (default http://localhost:8787)
  --orders <n>             orders to place in all (default 100)
  --attendees <n>          attendees ordering at the same time (default 20)
  --baristas <n>           robot baristas making drinks (default 2)
  --make-seconds <s>       seconds a barista takes per drink, ± half (default 1)
  --cancel <fraction>      orders the attendee cancels after ordering (default 0.05)
  --abandon <fraction>     orders the attendee never submits, letting the window expire (default 0.03)
  --store <id>             use this store (needs --pin, its barista PIN); default: create a fresh one
  --pin <pin>              the store's barista PIN
  --admin-token <token>    to create the store (default $ADMIN_TOKEN, or .dev.vars)
  --customer-timeout <s>   a created store's ordering window (default 10, so abandoned orders end quickly)
  --drinks-per-code <n>    a created store's drinks per QR code (default 10 × attendees)
  --code-window <s>        a created store's QR window (default 30)
  --drain-seconds <s>      how long the audit waits for D1 to catch up (default 60)
  --json                   print the result as JSON on stdout (no progress bar, no tables;
                           npm run -s robot -- --json keeps npm's own lines out of it)`;

const { options } = parseArgs(process.argv.slice(2));
if (options.help) {
	console.log(usage);
	process.exit(0);
}
const number = (name: string, fallback: number) => {
	const raw = options[name];
	if (raw === undefined) return fallback;
	const value = Number(raw);
	if (!Number.isFinite(value) || value < 0) {
		console.error(`--${name} must be a number, not '${String(raw)}'\n\n${usage}`);
		process.exit(2);
	}
	return value;
};
const url = typeof options.url === "string" ? options.url.replace(/\/$/, "") : "http://localhost:8787";
const total = number("orders", 100);
const attendees = Math.max(1, Math.min(number("attendees", 20), total));
const baristaCount = Math.max(1, number("baristas", 2));
const json = options.json === true;
const say = (line: string) => !json && printError(line);

// ---- the store --------------------------------------------------------------------------------------------

let storeId: string;
let pin: string;
let ownStore = false;
if (typeof options.store === "string") {
	if (typeof options.pin !== "string") {
		console.error(`--store needs --pin (the store's barista PIN)\n\n${usage}`);
		process.exit(2);
	}
	storeId = options.store;
	pin = options.pin;
} else {
	const token = adminToken(options["admin-token"]);
	if (!token) {
		console.error(
			`To create a store the robot needs the admin token: --admin-token, $ADMIN_TOKEN, or .dev.vars from npm run dev.\nOr use an existing store: --store <id> --pin <barista PIN>.`,
		);
		process.exit(2);
	}
	storeId = `robot-${new Date().toISOString().slice(0, 19).replace(/[-:T]/g, "").toLowerCase()}-${Math.floor(Math.random() * 1000)}`;
	pin = String(100_000 + Math.floor(Math.random() * 900_000));
	const admin = apiClient(url, () => token);
	try {
		await read(
			admin.api.stores.$post({
				json: {
					id: storeId,
					name: "Robot Coffee",
					pins: { barista: pin, admin: `9${pin}` },
					settings: {
						open: true,
						drinksPerCode: Math.min(10_000, number("drinks-per-code", 10 * attendees)),
						codeWindowSeconds: Math.max(10, number("code-window", 30)),
						capacity: Math.min(10_000, attendees * 2 + 10),
						customerTimeoutSeconds: Math.max(5, number("customer-timeout", 10)),
						baristaTimeoutSeconds: 900,
						maxOrdersPerUserPerDay: 1_000,
					},
				},
			}),
		);
	} catch (error) {
		printError(`could not create a store at ${url}: ${error instanceof Error ? error.message : String(error)}`);
		process.exit(1);
	}
	ownStore = true;
}

const signIn = async (name: string) => {
	const session = await read(
		apiClient(url).api.stores[":store"].staff.session.$post({ param: { store: storeId }, json: { pin, name } }),
	);
	return session.token;
};
/** The display is paired as a person would pair it: a barista asks for a code, the screen types it in. */
const pairDisplay = async (staffToken: string) => {
	const { code } = await read(
		apiClient(url, () => staffToken).api.stores[":store"].display.pairings.$post({ param: { store: storeId } }),
	);
	return (
		await read(apiClient(url).api.stores[":store"].display.session.$post({ param: { store: storeId }, json: { code } }))
	).token;
};
let staffToken: string;
let displayToken: string;
try {
	staffToken = await signIn("Robot");
	displayToken = await pairDisplay(staffToken);
} catch (error) {
	printError(
		`could not sign in to store '${storeId}' at ${url}: ${error instanceof Error ? error.message : String(error)}`,
	);
	process.exit(1);
}
const store = await read(apiClient(url).api.stores[":store"].$get({ param: { store: storeId } }));
const plan: Plan = {
	url,
	storeId,
	cancel: number("cancel", 0.05),
	abandon: number("abandon", 0.03),
	makeSeconds: number("make-seconds", 1),
	patienceSeconds: store.settings.baristaTimeoutSeconds + store.settings.customerTimeoutSeconds + 30,
};
say(
	`robot: ${total} orders, ${attendees} attendees at a time, ${baristaCount} baristas at ~${plan.makeSeconds} s a drink, ` +
		`against ${url}, store '${storeId}'${ownStore ? " (new)" : ""}`,
);

// ---- the run ----------------------------------------------------------------------------------------------

const tally = new Tally();
const completedAt = new Map<string, number>();
const display = new Display(url, storeId, displayToken);
const baristas: Barista[] = [];
for (let i = 0; i < baristaCount; i++)
	baristas.push(new Barista(plan, tally, await signIn(`Robot barista ${i + 1}`), completedAt));
const working = baristas.map((b) => b.work());

const bar = json
	? null
	: new cliProgress.SingleBar(
			{
				format:
					" {bar} {value}/{total} orders | admitted {admitted} | ready {ready} | cancelled {cancelled} | timed out {timedOut} | {rate}/s | refusals {refusals}",
				hideCursor: true,
				clearOnComplete: false,
				// Piped into a file or CI log: a line every 5 s instead of a redrawn bar.
				noTTYOutput: true,
				notTTYSchedule: 5_000,
			},
			cliProgress.Presets.shades_classic,
		);
const started = performance.now();
const progress = () => ({
	admitted: tally.admitted,
	ready: tally.count("ready"),
	cancelled: tally.count("cancelled by attendee") + tally.count("cancelled by barista/store"),
	timedOut: tally.count("timed out (attendee)") + tally.count("timed out (barista)"),
	rate: (tally.finished / ((performance.now() - started) / 1000)).toFixed(1),
	refusals: [...tally.errors.values()].reduce((a, b) => a + b, 0),
});
bar?.start(total, 0, progress());
const ticker = setInterval(() => bar?.update(tally.finished, progress()), 250);

const admissions: Admission[] = [];
let placed = 0;
await Promise.all(
	Array.from({ length: attendees }, async () => {
		while (placed < total) {
			placed++;
			const admission = await new Attendee(plan, tally, display, completedAt).order();
			if (admission) admissions.push(admission);
		}
	}),
);
clearInterval(ticker);
bar?.update(tally.finished, progress());
bar?.stop();
const seconds = (performance.now() - started) / 1000;
for (const barista of baristas) barista.stop();
await Promise.all(working);
display.channel.close();

// ---- the audit --------------------------------------------------------------------------------------------

say("audit: every admitted order against its OrderDO, the StoreDO and D1…");
const result: AuditResult = await audit({
	url,
	storeId,
	staffToken,
	admissions,
	ownStore,
	drainSeconds: number("drain-seconds", 60),
	onStep: (step) => say(`  ${step}`),
});

// ---- the report -------------------------------------------------------------------------------------------

const latencies = Object.fromEntries(measures.map((m) => [m, summary(tally.latencies.get(m) ?? [])]));
const report = {
	url,
	store: storeId,
	orders: total,
	attendees,
	baristas: baristaCount,
	seconds: Math.round(seconds * 10) / 10,
	ordersPerSecond: Math.round((total / seconds) * 10) / 10,
	outcomes: Object.fromEntries(outcomes.map((o) => [o, tally.count(o)])),
	admitted: tally.admitted,
	latenciesMs: latencies,
	errors: Object.fromEntries([...tally.errors].sort((a, b) => b[1] - a[1])),
	audit: result,
	lost: result.lost.length,
};

/** Headings in bold, not the library's red, which reads as an error. */
const plain = { head: ["bold"] };

if (json) {
	print(JSON.stringify(report, null, 2));
} else {
	const outcomeTable = new Table({ head: ["outcome", "orders"], style: plain });
	for (const o of outcomes) if (tally.count(o) > 0 || o === "ready") outcomeTable.push([o, tally.count(o)]);
	outcomeTable.push(["lost", result.lost.length]);
	const latencyTable = new Table({ head: ["latency (ms)", "count", "p50", "p95", "p99", "max"], style: plain });
	for (const m of measures) {
		const s = latencies[m]!;
		latencyTable.push([m, s.count, s.p50 ?? "", s.p95 ?? "", s.p99 ?? "", s.max ?? ""]);
	}
	console.log(
		`\n${total} orders in ${report.seconds} s (${report.ordersPerSecond} orders/s), ${tally.admitted} admitted, store '${storeId}' at ${url}`,
	);
	console.log(outcomeTable.toString());
	console.log(latencyTable.toString());
	if (tally.errors.size > 0) {
		const errorTable = new Table({ head: ["refusal or error", "count"], style: plain });
		for (const [key, count] of Object.entries(report.errors)) errorTable.push([printable(key), count]);
		console.log(errorTable.toString());
		if (tally.errors.has("claim illegal_transition"))
			console.log("  claim illegal_transition: the order was cancelled or timed out as a barista reached for it");
		if (tally.errors.has("cancel illegal_transition"))
			console.log("  cancel illegal_transition: a barista had already claimed it");
	}
	console.log(
		`audit: ${result.checked} admitted orders checked against their OrderDO, the StoreDO and D1 — ${result.finished} finished, ` +
			`${result.honestlyOpen} still open with their timer running` +
			(result.d1Seconds === null
				? "; D1 did not catch up"
				: `; D1 agreed ${result.d1Seconds.toFixed(1)} s after the run`) +
			(result.socketsBehind > 0 ? `; ${result.socketsBehind} attendee sockets had not shown the final state` : ""),
	);
	if (result.unknownInD1.length > 0)
		console.log(
			`  ${result.unknownInD1.length} orders in D1 that no robot attendee heard of: ${result.unknownInD1.slice(0, 5).join(", ")}`,
		);
	if (result.lost.length === 0) console.log("LOST ORDERS: 0");
	else {
		console.log(`LOST ORDERS: ${result.lost.length}`);
		for (const { orderId, problem } of result.lost.slice(0, 20)) print(`  ${orderId}: ${problem}`);
	}
}
process.exit(result.lost.length === 0 ? 0 : 1);
