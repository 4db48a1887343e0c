import { readFileSync } from "node:fs";
import { Pool } from "undici";

/**
 * A closed-loop HTTP load generator on undici: `connections` keep-alive connections, each sending its next
 * request as soon as the last answered. It measures each request's latency, and the CPU the client and
 * workerd used meanwhile, so a run shows whether the server or the client was the bottleneck.
 */

export interface RequestSpec {
	method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
	path: string;
	token?: string;
	body?: unknown;
}

export interface LoadResult {
	requests: number;
	seconds: number;
	perSecond: number;
	/** Latencies in ms, sorted. */
	latencies: number[];
	statuses: Record<number, number>;
	/** Error codes of refused requests, from the API's error body. */
	codes: Record<string, number>;
	/** Cores each used during the run: the client, workerd, and the rest of the machine. */
	clientCpu: number;
	serverCpu: number;
	othersCpu: number;
}

const clockTicks = 100;

/** CPU seconds (user + system) a process has used so far. */
export function cpuSeconds(pid: number): number {
	const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
	const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
	return (Number(fields[11]) + Number(fields[12])) / clockTicks;
}

/** Resident memory of a process, in bytes. */
export function rssBytes(pid: number): number {
	const status = readFileSync(`/proc/${pid}/status`, "utf8");
	return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

/** CPU seconds the whole machine has been busy (all cores), from /proc/stat. */
function machineBusySeconds(): number {
	const fields = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
	// user nice system idle iowait irq softirq steal: everything but idle and iowait is work.
	const [user, nice, system, , , irq, softirq, steal] = fields as number[];
	return (user! + nice! + system! + irq! + softirq! + steal!) / clockTicks;
}

/**
 * Measures CPU use over a stretch of work, in cores: this process (the client), workerd (the server), and
 * everything else on the machine (other people's builds and tests share it), which a reader needs to know.
 */
export function cpuMeter(serverPid: number) {
	const wall = performance.now();
	const client = process.cpuUsage();
	const server = cpuSeconds(serverPid);
	const machine = machineBusySeconds();
	return () => {
		const seconds = (performance.now() - wall) / 1000;
		const used = process.cpuUsage(client);
		const clientCpu = (used.user + used.system) / 1e6 / seconds;
		const serverCpu = (cpuSeconds(serverPid) - server) / seconds;
		const othersCpu = Math.max(0, (machineBusySeconds() - machine) / seconds - clientCpu - serverCpu);
		return { seconds, clientCpu, serverCpu, othersCpu };
	};
}

export function percentile(sorted: number[], q: number): number {
	if (sorted.length === 0) return Number.NaN;
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export class LoadClient {
	readonly pool: Pool;
	#origin: string;

	constructor(origin: string, connections = 64) {
		this.#origin = origin;
		this.pool = new Pool(origin, { connections, pipelining: 1, keepAliveTimeout: 60_000 });
	}

	/** One request; resolves with its status and parsed body. */
	async send<T = any>(spec: RequestSpec): Promise<{ status: number; body: T }> {
		const headers: Record<string, string> = {};
		if (spec.token) headers.authorization = `Bearer ${spec.token}`;
		if (spec.body !== undefined) headers["content-type"] = "application/json";
		const response = await this.pool.request({
			origin: this.#origin,
			method: spec.method,
			path: spec.path,
			headers,
			body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
		});
		const text = await response.body.text();
		return { status: response.statusCode, body: (text ? JSON.parse(text) : null) as T };
	}

	/**
	 * Sends `total` requests, `concurrency` at a time, request `i` built by `make(i)`; `check` may throw on
	 * an unexpected reply (the run fails rather than measuring errors).
	 */
	async run(
		total: number,
		concurrency: number,
		serverPid: number,
		make: (i: number) => RequestSpec,
		check?: (status: number, body: any, i: number) => void,
	): Promise<LoadResult> {
		const latencies: number[] = [];
		const statuses: Record<number, number> = {};
		const codes: Record<string, number> = {};
		let next = 0;
		const done = cpuMeter(serverPid);
		await Promise.all(
			Array.from({ length: concurrency }, async () => {
				while (next < total) {
					const i = next++;
					const started = performance.now();
					const { status, body } = await this.send(make(i));
					latencies.push(performance.now() - started);
					statuses[status] = (statuses[status] ?? 0) + 1;
					const code = (body as { error?: { code?: string } } | null)?.error?.code;
					if (code) codes[code] = (codes[code] ?? 0) + 1;
					check?.(status, body, i);
				}
			}),
		);
		const { seconds, clientCpu, serverCpu, othersCpu } = done();
		latencies.sort((a, b) => a - b);
		return {
			requests: total,
			seconds,
			perSecond: total / seconds,
			latencies,
			statuses,
			codes,
			clientCpu,
			serverCpu,
			othersCpu,
		};
	}

	close(): Promise<void> {
		return this.pool.close();
	}
}
