import { describe, expect, it } from "vitest";
import { adminPin, adminToken, baristaPin, call, createStore, staff } from "./helpers";

/**
 * Wrong PINs count per client (device and network), with a slower store-wide backstop, so that someone at
 * the venue guessing or griefing cannot keep the store's staff signed out.
 */

let devices = 0;
/** A sign-in screen's device id, as the front ends keep one in localStorage. */
const newDevice = () => `device-${++devices}-${crypto.randomUUID()}`;

interface Client {
	device?: string;
	ip?: string;
}

function signIn(storeId: string, pin: string, client: Client = {}) {
	return call("POST", `/api/stores/${storeId}/staff/session`, {
		body: { pin, name: "Sam", ...(client.device ? { device: client.device } : {}) },
		headers: client.ip ? { "cf-connecting-ip": client.ip } : {},
	});
}

async function wrong(storeId: string, times: number, client: () => Client): Promise<number[]> {
	const statuses: number[] = [];
	for (let i = 0; i < times; i++) statuses.push((await signIn(storeId, "0000", client())).status);
	return statuses;
}

describe("wrong PINs", () => {
	it("lock the device that keeps trying, not the tablet beside it, nor anyone already signed in", async () => {
		const store = await createStore();
		const barista = await staff(store.id);
		const phone = { device: newDevice(), ip: "203.0.113.20" };
		expect(await wrong(store.id, 4, () => phone)).toEqual([401, 401, 401, 401]);
		const fifth = await signIn(store.id, "0000", phone);
		expect([fifth.status, fifth.body.error.code]).toEqual([429, "pin_locked"]);
		expect(Number(fifth.headers.get("retry-after"))).toBeGreaterThanOrEqual(29);
		// Even the right PIN waits out the lock on that device: that is what makes guessing slow.
		expect((await signIn(store.id, baristaPin, phone)).body.error.code).toBe("pin_locked");
		expect((await signIn(store.id, baristaPin, { device: newDevice(), ip: phone.ip })).status).toBe(200);
		expect((await call("GET", `/api/stores/${store.id}/qr`, { token: barista })).status).toBe(200);
	});

	it("cannot keep staff out: a griefer's network is held back, a tablet that signed in before is not", async () => {
		const store = await createStore();
		const venue = "203.0.113.21";
		const tablet = { device: newDevice(), ip: venue };
		expect((await signIn(store.id, baristaPin, tablet)).status).toBe(200);
		// Someone on the venue's Wi-Fi keeps guessing, with a new device id each time (or none).
		const griefing = await wrong(store.id, 14, () =>
			devices % 2 ? { device: newDevice(), ip: venue } : { ip: venue },
		);
		expect(griefing.slice(0, 9).every((status) => status === 401)).toBe(true);
		expect(griefing.slice(10)).toEqual([429, 429, 429, 429]);
		// The tablet that signed in here before still gets in, from the same network.
		expect((await signIn(store.id, baristaPin, tablet)).status).toBe(200);
		// A device new to the store waits on that network; elsewhere it does not.
		expect((await signIn(store.id, baristaPin, { device: newDevice(), ip: venue })).body.error.code).toBe("pin_locked");
		expect((await signIn(store.id, baristaPin, { device: newDevice(), ip: "198.51.100.77" })).status).toBe(200);
		// Another store is not affected at all.
		expect((await signIn((await createStore()).id, adminPin, { ip: venue })).status).toBe(200);
	});

	it("past a store-wide backstop, stop guesses spread over many networks, but never a device with a clean record", async () => {
		const store = await createStore();
		const tablet = { device: newDevice(), ip: "192.0.2.200" };
		expect((await signIn(store.id, baristaPin, tablet)).status).toBe(200);
		let host = 0;
		const spread = await wrong(store.id, 51, () => ({ device: newDevice(), ip: `192.0.2.${++host}` }));
		expect(spread.slice(0, 49).every((status) => status === 401)).toBe(true);
		expect(spread.at(-1)).toBe(429);
		expect((await signIn(store.id, baristaPin, { device: newDevice(), ip: "192.0.2.99" })).body.error.code).toBe(
			"pin_locked",
		);
		expect((await signIn(store.id, baristaPin, tablet)).status).toBe(200);
	});

	it("can be cleared by the admin, who keeps a way in to change PINs and sign everyone out during an attack", async () => {
		const store = await createStore();
		const attacker = "2001:db8:66:1::";
		let n = 0;
		await wrong(store.id, 12, () => ({ device: newDevice(), ip: `${attacker}${(++n).toString(16)}` }));
		const newcomer = { device: newDevice(), ip: "2001:db8:66:1::abcd" };
		expect((await signIn(store.id, baristaPin, newcomer)).body.error.code).toBe("pin_locked");

		// The deployment admin's token is no PIN: it changes the PINs and signs every session out regardless.
		const locks = await call("GET", `/api/stores/${store.id}/staff/lockouts`, { token: adminToken });
		expect(locks.status).toBe(200);
		expect(locks.body.lockouts).toContainEqual(
			expect.objectContaining({ scope: "network", client: "2001:db8:66:1::/64" }),
		);
		expect(
			(await call("PATCH", `/api/stores/${store.id}`, { token: adminToken, body: { pins: { barista: "8642" } } }))
				.status,
		).toBe(200);
		expect((await call("POST", `/api/stores/${store.id}/staff/revoke`, { token: adminToken })).status).toBe(200);
		expect((await signIn(store.id, "8642", newcomer)).body.error.code).toBe("pin_locked");

		const cleared = await call("DELETE", `/api/stores/${store.id}/staff/lockouts`, { token: adminToken });
		expect(cleared.status).toBe(200);
		expect(cleared.body.cleared).toBeGreaterThanOrEqual(1);
		expect((await call("GET", `/api/stores/${store.id}/staff/lockouts`, { token: adminToken })).body.lockouts).toEqual(
			[],
		);
		expect((await signIn(store.id, "8642", newcomer)).status).toBe(200);
	});

	it("are a store admin's to see and clear, not a barista's", async () => {
		const store = await createStore();
		const barista = await staff(store.id);
		const admin = await staff(store.id, adminPin);
		expect((await call("DELETE", `/api/stores/${store.id}/staff/lockouts`, { token: barista })).status).toBe(403);
		expect((await call("GET", `/api/stores/${store.id}/staff/lockouts`, { token: barista })).status).toBe(403);
		expect((await call("DELETE", `/api/stores/${store.id}/staff/lockouts`, { token: admin })).body).toEqual({
			cleared: 0,
		});
	});
});
