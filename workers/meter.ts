/**
 * The meter: counts, where they happen, the operations Cloudflare bills for (Worker requests, Durable Object
 * requests and alarms, rows read and written in DO SQLite and in D1, queue operations), so that the cost of
 * an order is measured rather than assumed. `npm run bench` reads it around a run of orders.
 *
 * It is off unless the `METER` var is "on": then every hook below returns at its first line and production
 * pays nothing. Counters live in module scope, per isolate. Locally (wrangler dev, Miniflare, vitest) the
 * Worker and its Durable Objects run in one isolate, so one reading holds everything; in production they do
 * not, which is why the meter is a local measuring tool and not a production metric.
 */

type MeteredEnv = { METER?: string };

const counts = new Map<string, number>();
let since = Date.now();

export function meterOn(env: MeteredEnv): boolean {
	return env.METER === "on";
}

export function count(key: string, n = 1): void {
	if (n !== 0) counts.set(key, (counts.get(key) ?? 0) + n);
}

export interface MeterTotals {
	workerRequests: number;
	/** RPC calls, fetches (WebSocket connects), alarms, and incoming WebSocket messages ÷ 20. */
	doRequests: number;
	doRowsRead: number;
	/** Includes one row per setAlarm/deleteAlarm, as billed. */
	doRowsWritten: number;
	d1Queries: number;
	d1RowsRead: number;
	d1RowsWritten: number;
	/** One per message written, one per delivery (a retry is a further delivery), one per acknowledgement. */
	queueOps: number;
	queueMessages: number;
}

export interface MeterReading {
	since: string;
	counts: Record<string, number>;
	totals: MeterTotals;
}

function sum(all: Record<string, number>, prefix: string): number {
	let total = 0;
	for (const [key, value] of Object.entries(all)) if (key === prefix || key.startsWith(`${prefix}.`)) total += value;
	return total;
}

/** Adds up raw counters (keys such as `do.rpc.StoreDO.scan`) into the lines of the price list. */
export function totalsOf(all: Record<string, number>): MeterTotals {
	const queueMessages = sum(all, "queue.writes");
	return {
		workerRequests: sum(all, "worker.requests") + sum(all, "worker.queue_invocations"),
		doRequests: sum(all, "do.rpc") + sum(all, "do.fetch") + sum(all, "do.alarms") + sum(all, "do.ws_messages") / 20,
		doRowsRead: sum(all, "do.rows_read"),
		doRowsWritten: sum(all, "do.rows_written") + sum(all, "do.alarm_writes"),
		d1Queries: sum(all, "d1.queries"),
		d1RowsRead: sum(all, "d1.rows_read") + sum(all, "d1.rows_returned"),
		d1RowsWritten: sum(all, "d1.rows_written"),
		queueOps: queueMessages + sum(all, "queue.deliveries") + sum(all, "queue.acks"),
		queueMessages,
	};
}

export function readMeter(): MeterReading {
	const all = Object.fromEntries([...counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
	return { since: new Date(since).toISOString(), counts: all, totals: totalsOf(all) };
}

export function resetMeter(): void {
	counts.clear();
	since = Date.now();
}

// ---- the metered env ------------------------------------------------------------------------------------

/** Durable Object classes by binding, for readable counter names. */
const classOf: Record<string, string> = {
	STORE: "StoreDO",
	ORDER: "OrderDO",
	EVENT_TAIL: "EventTailDO",
	ATTENDEES: "AttendeeDirectoryDO",
};

const wrapped = new WeakMap<object, object>();

function memo<T extends object>(target: T, make: (target: T) => T): T {
	let proxy = wrapped.get(target) as T | undefined;
	if (!proxy) {
		proxy = make(target);
		wrapped.set(target, proxy);
	}
	return proxy;
}

/** A stub whose every call (RPC method or fetch) counts as one DO request of its class. */
function meterStub<T extends object>(stub: T, className: string): T {
	return new Proxy(stub, {
		get(target, property, receiver) {
			const value = Reflect.get(target, property, receiver);
			if (typeof property !== "string" || typeof value !== "function" || property === "then") return value;
			return (...args: unknown[]) => {
				count(property === "fetch" ? `do.fetch.${className}` : `do.rpc.${className}.${property}`);
				return Reflect.apply(value, target, args);
			};
		},
	});
}

function meterNamespace(namespace: DurableObjectNamespace, className: string): DurableObjectNamespace {
	return new Proxy(namespace, {
		get(target, property, receiver) {
			const value = Reflect.get(target, property, receiver);
			if (property === "get" || property === "getByName") {
				return (...args: unknown[]) =>
					meterStub(Reflect.apply(value as (...a: unknown[]) => object, target, args), className);
			}
			return typeof value === "function" ? value.bind(target) : value;
		},
	});
}

function meterQueue(queue: Queue, binding: string): Queue {
	return new Proxy(queue, {
		get(target, property, receiver) {
			const value = Reflect.get(target, property, receiver);
			if (property === "send") {
				return (message: unknown, options?: QueueSendOptions) => {
					count(`queue.writes.${binding}`);
					return target.send(message, options);
				};
			}
			if (property === "sendBatch") {
				return (messages: Iterable<unknown>, options?: unknown) => {
					const list = [...messages];
					count(`queue.writes.${binding}`, list.length);
					return target.sendBatch(list as MessageSendRequest[], options as QueueSendBatchOptions);
				};
			}
			return typeof value === "function" ? value.bind(target) : value;
		},
	});
}

function addMeta(meta: { rows_read?: number; rows_written?: number } | undefined): void {
	count("d1.queries");
	count("d1.rows_read", meta?.rows_read ?? 0);
	count("d1.rows_written", meta?.rows_written ?? 0);
}

const realStatement = new WeakMap<object, D1PreparedStatement>();

/**
 * A statement that reads D1's own row counts from each result's meta. `first()` and `raw()` return no meta,
 * so for them the rows returned are counted (a lower bound of the rows read; such queries write nothing).
 */
function meterStatement(statement: D1PreparedStatement): D1PreparedStatement {
	const metered = {
		bind: (...values: unknown[]) => meterStatement(statement.bind(...values)),
		run: async () => {
			const result = await statement.run();
			addMeta(result.meta);
			return result;
		},
		all: async () => {
			const result = await statement.all();
			addMeta(result.meta);
			return result;
		},
		first: async (column?: string) => {
			const row = column === undefined ? await statement.first() : await statement.first(column);
			count("d1.queries");
			count("d1.rows_returned", row === null ? 0 : 1);
			return row;
		},
		raw: async (options?: { columnNames?: boolean }) => {
			const rows = (await statement.raw(options as { columnNames: true })) as unknown[];
			count("d1.queries");
			count("d1.rows_returned", Math.max(0, rows.length - (options?.columnNames ? 1 : 0)));
			return rows;
		},
	} as unknown as D1PreparedStatement;
	realStatement.set(metered, statement);
	return metered;
}

function meterDatabase(db: D1Database): D1Database {
	return new Proxy(db, {
		get(target, property, receiver) {
			const value = Reflect.get(target, property, receiver);
			if (property === "prepare") return (query: string) => meterStatement(target.prepare(query));
			if (property === "batch") {
				return async (statements: D1PreparedStatement[]) => {
					const results = await target.batch(statements.map((s) => realStatement.get(s) ?? s));
					for (const result of results) addMeta(result.meta);
					return results;
				};
			}
			if (property === "exec") count("d1.queries");
			return typeof value === "function" ? value.bind(target) : value;
		},
	});
}

/** The env with every billable binding counted; the env itself when the meter is off. */
export function meterEnv<E extends object>(env: E): E {
	if (!meterOn(env as MeteredEnv)) return env;
	return memo(
		env,
		(target) =>
			new Proxy(target, {
				get(inner, property, receiver) {
					const value = Reflect.get(inner, property, receiver) as unknown;
					if (typeof property !== "string" || value === null || typeof value !== "object") return value;
					const binding = value as Record<string, unknown>;
					if (typeof binding.idFromName === "function") {
						return memo(value, (ns) => meterNamespace(ns as DurableObjectNamespace, classOf[property] ?? property));
					}
					if (typeof binding.prepare === "function" && typeof binding.batch === "function") {
						return memo(value, (db) => meterDatabase(db as D1Database));
					}
					if (typeof binding.sendBatch === "function") return memo(value, (q) => meterQueue(q as Queue, property));
					return value;
				},
			}),
	);
}

/** The meter's own endpoint, which reading it should not change. */
export const meterPath = "/api/admin/meter";

/** A Worker request: counted (unless it reads the meter), and given the metered env. */
export function meterRequest<E extends object>(request: Request, env: E): E {
	if (!meterOn(env as MeteredEnv)) return env;
	if (new URL(request.url).pathname !== meterPath) count("worker.requests");
	return meterEnv(env);
}

/** A queue consumer invocation: its deliveries and acknowledgements counted. */
export function meterBatch<B extends MessageBatch, E extends object>(batch: B, env: E): { batch: B; env: E } {
	if (!meterOn(env as MeteredEnv)) return { batch, env };
	count("worker.queue_invocations");
	count("queue.deliveries", batch.messages.length);
	count("queue.redeliveries", batch.messages.filter((m) => m.attempts > 1).length);
	const messages = batch.messages.map((message) => ({
		get id() {
			return message.id;
		},
		get timestamp() {
			return message.timestamp;
		},
		get body() {
			return message.body;
		},
		get attempts() {
			return message.attempts;
		},
		ack() {
			count("queue.acks");
			message.ack();
		},
		retry(options?: QueueRetryOptions) {
			count("queue.retries");
			message.retry(options);
		},
	}));
	const metered = {
		queue: batch.queue,
		messages,
		ackAll() {
			count("queue.acks", messages.length);
			batch.ackAll();
		},
		retryAll(options?: QueueRetryOptions) {
			count("queue.retries", messages.length);
			batch.retryAll(options);
		},
	};
	return { batch: metered as unknown as B, env: meterEnv(env) };
}

// ---- inside Durable Objects -----------------------------------------------------------------------------

const sqlOwner = new WeakMap<object, string>();
let storagePatched = false;

/** Counts the rows of every SQL statement (read off its cursor once the caller has consumed it) and alarm writes. */
function patchStorage(storage: DurableObjectStorage): void {
	if (storagePatched) return;
	storagePatched = true;
	const sqlPrototype = Object.getPrototypeOf(storage.sql) as SqlStorage;
	const exec = sqlPrototype.exec;
	let pending: { cursor: SqlStorageCursor<Record<string, SqlStorageValue>>; owner: string }[] = [];
	const drain = () => {
		for (const { cursor, owner } of pending) {
			count(`do.rows_read.${owner}`, cursor.rowsRead);
			count(`do.rows_written.${owner}`, cursor.rowsWritten);
		}
		pending = [];
	};
	sqlPrototype.exec = function (this: SqlStorage, query: string, ...bindings: unknown[]) {
		const cursor = exec.call(this, query, ...bindings);
		// Cursors are consumed synchronously (the DOs never hold one across an await), so by the next
		// microtask their counts are final.
		if (pending.length === 0) queueMicrotask(drain);
		pending.push({ cursor, owner: sqlOwner.get(this) ?? "unknown" });
		return cursor;
	} as SqlStorage["exec"];
	const storagePrototype = Object.getPrototypeOf(storage) as DurableObjectStorage;
	const setAlarm = storagePrototype.setAlarm;
	const deleteAlarm = storagePrototype.deleteAlarm;
	storagePrototype.setAlarm = function (
		this: DurableObjectStorage,
		...args: Parameters<DurableObjectStorage["setAlarm"]>
	) {
		count(`do.alarm_writes.${sqlOwner.get(this.sql) ?? "unknown"}.set`);
		return setAlarm.apply(this, args);
	};
	storagePrototype.deleteAlarm = function (
		this: DurableObjectStorage,
		...args: Parameters<DurableObjectStorage["deleteAlarm"]>
	) {
		count(`do.alarm_writes.${sqlOwner.get(this.sql) ?? "unknown"}.delete`);
		return deleteAlarm.apply(this, args);
	};
}

interface MeterableObject {
	ctx: DurableObjectState;
	env: object;
	alarm?(...args: unknown[]): Promise<void>;
	webSocketMessage?(...args: unknown[]): Promise<void>;
}

/**
 * Called first thing in a Durable Object's constructor: counts its wakes, alarms, incoming WebSocket
 * messages and SQL rows, and swaps in the metered env so its calls to other objects, D1 and the Queue count.
 */
export function meterDurableObject(object: object, className: string): void {
	const target = object as MeterableObject;
	if (!meterOn(target.env as MeteredEnv)) return;
	count(`do.wakes.${className}`);
	patchStorage(target.ctx.storage);
	sqlOwner.set(target.ctx.storage.sql, className);
	target.env = meterEnv(target.env);
	const { alarm, webSocketMessage } = target;
	if (alarm) {
		target.alarm = function (this: MeterableObject, ...args: unknown[]) {
			count(`do.alarms.${className}`);
			return alarm.apply(this, args);
		};
	}
	if (webSocketMessage) {
		target.webSocketMessage = function (this: MeterableObject, ...args: unknown[]) {
			count(`do.ws_messages.${className}`);
			return webSocketMessage.apply(this, args);
		};
	}
}
