import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { OrderDO } from "../durable-objects/order/order";
import type { StoreDO } from "../durable-objects/store/store";
import { adminToken, attendee, baristaPin, call, keyed } from "./helpers";
import { refusedSocket } from "./sockets";

type Stub = DurableObjectStub<StoreDO> | DurableObjectStub<OrderDO>;

/** What an object holds: its tables and the size of its database. */
function storage(stub: Stub) {
	return runInDurableObject(stub as DurableObjectStub<StoreDO>, (_: StoreDO | OrderDO, state) => ({
		tables: state.storage.sql
			.exec<{ name: string }>(`SELECT name FROM sqlite_master`)
			.toArray()
			.map((row) => row.name),
		bytes: state.storage.sql.databaseSize,
	}));
}

/** No tables, and a database no bigger than that of an object nobody ever asked for. */
async function expectNothingStored(stub: Stub) {
	const untouched = await storage(env.STORE.getByName(`never-${crypto.randomUUID()}`));
	expect(await storage(stub)).toEqual({ tables: [], bytes: untouched.bytes });
}

describe("ids that do not exist", () => {
	it("leave no storage behind when 20 unknown stores are read", async () => {
		const ids = Array.from({ length: 20 }, () => `orphan-${crypto.randomUUID().slice(0, 8)}`);
		for (const id of ids) {
			const reply = await call("GET", `/api/stores/${id}`);
			expect([reply.status, reply.body.error.code]).toEqual([404, "store_not_found"]);
		}
		for (const id of ids) await expectNothingStored(env.STORE.getByName(id));
	});

	it("leave no storage behind when an unknown store is watched, scanned, signed in to or asked for its code", async () => {
		const id = `orphan-${crypto.randomUUID().slice(0, 8)}`;
		const me = await attendee();
		expect((await refusedSocket(`/api/stores/${id}/ws`)).status).toBe(404);
		expect(
			(await call("POST", `/api/stores/${id}/scans`, { token: me.token, body: { code: "A".repeat(22) } })).status,
		).toBe(404);
		expect((await call("POST", `/api/stores/${id}/staff/session`, { body: { pin: baristaPin } })).status).toBe(404);
		expect((await call("GET", `/api/stores/${id}/qr`, { token: adminToken })).status).toBe(404);
		expect((await call("PATCH", `/api/stores/${id}`, { token: adminToken, body: { paused: true } })).status).toBe(404);
		await expectNothingStored(env.STORE.getByName(id));
	});

	it("leave no storage behind when an unknown order is read, followed, ordered, cancelled or subscribed to with a free session", async () => {
		const me = await attendee();
		const id = crypto.randomUUID();
		expect((await call("GET", `/api/orders/${id}`, { token: me.token })).status).toBe(404);
		expect((await refusedSocket(`/api/orders/${id}/ws`, me.token)).status).toBe(404);
		expect((await call("PUT", `/api/orders/${id}`, { token: me.token, body: { drink: "latte" } })).status).toBe(404);
		expect((await call("POST", `/api/orders/${id}/cancel`, { token: me.token })).status).toBe(404);
		expect(
			(
				await call("DELETE", `/api/orders/${id}/push?endpoint=${encodeURIComponent("https://push.receiver.test/x")}`, {
					token: me.token,
				})
			).status,
		).toBe(404);
		expect((await call("GET", `/api/orders/${id}`, { token: adminToken })).status).toBe(404);
		await expectNothingStored(env.ORDER.getByName(id));
	});

	it("leave no storage behind when writes to an unknown store or order carry an Idempotency-Key, sent twice", async () => {
		const me = await attendee();
		const store = `orphan-${crypto.randomUUID().slice(0, 8)}`;
		const order = crypto.randomUUID();
		const writes: [method: string, path: string, token: string, body?: unknown][] = [
			["POST", `/api/stores/${store}/scans`, me.token, { code: "A".repeat(22) }],
			["PATCH", `/api/stores/${store}`, adminToken, { paused: true }],
			["POST", `/api/stores/${store}/walk-ups`, adminToken, { drink: "latte" }],
			["PUT", `/api/orders/${order}`, me.token, { drink: "latte" }],
			["POST", `/api/orders/${order}/cancel`, me.token],
			...["claim", "unclaim", "complete", "remind", "cancel"].map((move): [string, string, string] => [
				"POST",
				`/api/orders/${order}/${move}`,
				adminToken,
			]),
		];
		for (const [method, path, token, body] of writes) {
			const key = crypto.randomUUID();
			for (const attempt of [1, 2]) {
				const reply = await keyed(method, path, token, key, body);
				expect([reply.status, reply.headers.get("idempotent-replayed")], `${method} ${path} #${attempt}`).toEqual([
					404,
					null,
				]);
			}
		}
		await expectNothingStored(env.STORE.getByName(store));
		await expectNothingStored(env.ORDER.getByName(order));
	});
});
