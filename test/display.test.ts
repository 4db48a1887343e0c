import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { act, adminPin, admitted, baristaPin, call, createStore, display, displayPin, staff, submit } from "./helpers";
import { openSocket, refusedSocket } from "./sockets";

/**
 * The big screen's own session: paired from a barista's tablet with a one-time code, or signed in with the
 * store's display PIN. It reads the QR code and the board, and nothing a barista could do.
 */

function pair(storeId: string, token: string) {
	return call<{ code: string; expiresAt: string }>("POST", `/api/stores/${storeId}/display/pairings`, { token });
}

function displaySession(storeId: string, body: Record<string, string>) {
	return call("POST", `/api/stores/${storeId}/display/session`, { body });
}

describe("a display session", () => {
	it("is paired from a barista's tablet with a one-time code that lasts five minutes", async () => {
		const store = await createStore();
		const barista = await staff(store.id);
		const pairing = await pair(store.id, barista);
		expect(pairing.status).toBe(201);
		expect(pairing.body.code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
		const lasts = Date.parse(pairing.body.expiresAt) - Date.now();
		expect(lasts).toBeGreaterThan(4 * 60_000);
		expect(lasts).toBeLessThanOrEqual(5 * 60_000);

		// Typed on a TV remote: case and the dash do not matter.
		const typed = pairing.body.code.replace("-", "").toLowerCase();
		const signedIn = await displaySession(store.id, { code: typed });
		expect(signedIn.status).toBe(200);
		expect(signedIn.body).toMatchObject({ role: "display", storeId: store.id, displayId: expect.any(String) });
		const again = await displaySession(store.id, { code: pairing.body.code });
		expect([again.status, again.body.error.code]).toEqual([401, "pairing_code_invalid"]);
		// Attendees and other stores' staff cannot pair one.
		expect((await pair(store.id, await staff((await createStore()).id))).status).toBe(403);
	});

	it("is not opened by an expired code, nor by a code from another store", async () => {
		const store = await createStore();
		const other = await createStore();
		const barista = await staff(store.id);
		const stale = (await pair(store.id, barista)).body.code;
		await runInDurableObject(env.STORE.getByName(store.id), (_instance, state) => {
			state.storage.sql.exec(`UPDATE display_pairings SET expires_at = ?`, Date.now() - 1);
		});
		expect((await displaySession(store.id, { code: stale })).body.error.code).toBe("pairing_code_invalid");
		const elsewhere = (await pair(store.id, barista)).body.code;
		expect((await displaySession(other.id, { code: elsewhere })).body.error.code).toBe("pairing_code_invalid");
		expect((await displaySession(store.id, { code: elsewhere })).status).toBe(200);
	});

	it("signs in with the display PIN, which opens nothing else, and which no other PIN opens", async () => {
		const store = await createStore();
		expect((await displaySession(store.id, { pin: displayPin })).body.role).toBe("display");
		for (const pin of [baristaPin, adminPin])
			expect((await displaySession(store.id, { pin })).body.error.code).toBe("pin_invalid");
		expect(
			(await call("POST", `/api/stores/${store.id}/staff/session`, { body: { pin: displayPin } })).body.error.code,
		).toBe("pin_invalid");
		expect((await displaySession(store.id, { pin: displayPin, code: "ABCD-2345" })).status).toBe(400);
		expect((await displaySession(store.id, {})).status).toBe(400);
	});

	it("reads the QR code and the board, and can do nothing a barista can", async () => {
		const store = await createStore();
		const barista = await staff(store.id);
		const tv = await display(store.id, barista);
		const { token, orderId } = await admitted(store.id, barista, "Ada");
		await submit(orderId, token);

		const qr = await call("GET", `/api/stores/${store.id}/qr`, { token: tv });
		expect(qr.status).toBe(200);
		const board = await openSocket(`/api/stores/${store.id}/ws?role=display`, tv);
		const snapshot = await board.next((m) => m.type === "snapshot");
		expect(snapshot.channel).toBe("board");
		expect(snapshot.board.qr.code).toBe(qr.body.code);
		expect(snapshot.board.tickets).toEqual([expect.objectContaining({ name: "Ada", state: "preparing" })]);
		// Without a role it still gets its display, never the staff view with every order.
		const plain = await openSocket(`/api/stores/${store.id}/ws`, tv);
		expect((await plain.next((m) => m.type === "snapshot")).channel).toBe("board");

		const refused = [
			await act(orderId, "claim", tv),
			await act(orderId, "cancel", tv),
			await call("GET", `/api/orders/${orderId}`, { token: tv }),
			await call("PATCH", `/api/stores/${store.id}`, { token: tv, body: { open: false } }),
			await call("GET", `/api/stores/${store.id}/orders`, { token: tv }),
			await call("POST", `/api/stores/${store.id}/walk-ups`, { token: tv, body: { drink: "espresso" } }),
			await call("POST", `/api/stores/${store.id}/display/pairings`, { token: tv }),
			await call("POST", `/api/stores/${store.id}/scans`, { token: tv, body: { code: qr.body.code } }),
		];
		expect(refused.map((r) => [r.status, r.body.error.code])).toEqual(Array(refused.length).fill([403, "forbidden"]));
		expect((await refusedSocket(`/api/orders/${orderId}/ws`, tv)).status).toBe(403);
		expect((await call("GET", `/api/orders/${orderId}`, { token })).body.order.state).toBe("QUEUED");
		expect((await call("GET", `/api/stores/${store.id}`)).body.open).toBe(true);

		// Another store's display sees that store's public board at most.
		const elsewhere = await display((await createStore()).id);
		expect((await call("GET", `/api/stores/${store.id}/qr`, { token: elsewhere })).status).toBe(403);
		expect((await refusedSocket(`/api/stores/${store.id}/ws?role=display`, elsewhere)).status).toBe(403);
		board.socket.close();
		plain.socket.close();
	});

	it("ends when the admin changes a PIN or signs every screen out, like staff sessions", async () => {
		const store = await createStore();
		const admin = await staff(store.id, adminPin);
		const tv = await display(store.id);
		expect(
			(await call("PATCH", `/api/stores/${store.id}`, { token: admin, body: { pins: { display: "13579" } } })).status,
		).toBe(200);
		expect((await call("GET", `/api/stores/${store.id}/qr`, { token: tv })).status).toBe(401);
		expect((await displaySession(store.id, { pin: displayPin })).body.error.code).toBe("pin_invalid");
		const next = (await displaySession(store.id, { pin: "13579" })).body.token;
		expect(
			(await call("POST", `/api/stores/${store.id}/staff/revoke`, { token: await staff(store.id, adminPin) })).status,
		).toBe(200);
		expect((await call("GET", `/api/stores/${store.id}/qr`, { token: next })).status).toBe(401);
		// The display PIN must differ from the staff PINs.
		const same = await call("PATCH", `/api/stores/${store.id}`, {
			token: await staff(store.id, adminPin),
			body: { pins: { display: baristaPin } },
		});
		expect([same.status, same.body.error.code]).toEqual([400, "invalid_request"]);
	});

	it("pairs from a tablet even while PIN sign-in is locked, and wrong codes count like wrong PINs", async () => {
		const store = await createStore();
		const barista = await staff(store.id);
		const ip = "203.0.113.40";
		const guesses = [];
		for (let i = 0; i < 11; i++)
			guesses.push(
				(
					await call("POST", `/api/stores/${store.id}/display/session`, {
						body: { code: `AAAA-${1000 + i}` },
						headers: { "cf-connecting-ip": ip },
					})
				).status,
			);
		expect(guesses.slice(0, 9).every((status) => status === 401)).toBe(true);
		expect(guesses.at(-1)).toBe(429);
		expect(
			(
				await call("POST", `/api/stores/${store.id}/display/session`, {
					body: { pin: displayPin },
					headers: { "cf-connecting-ip": ip },
				})
			).status,
		).toBe(429);
		const { code } = (await pair(store.id, barista)).body;
		const paired = await call("POST", `/api/stores/${store.id}/display/session`, {
			body: { code },
			headers: { "cf-connecting-ip": ip },
		});
		expect(paired.status).toBe(200);
	});
});

describe("the display's languages", () => {
	it("are English until an admin sets one, or two to alternate, and reach a live display at once", async () => {
		const store = await createStore();
		const barista = await staff(store.id);
		const admin = await staff(store.id, adminPin);
		const board = await openSocket(`/api/stores/${store.id}/ws?role=display`, await display(store.id, barista));
		expect((await board.next((m) => m.type === "snapshot")).board.store.languages).toEqual(["en"]);

		const set = await call("PATCH", `/api/stores/${store.id}`, {
			token: admin,
			body: { displayLanguages: ["pt", "ja"] },
		});
		expect([set.status, set.body.settings.displayLanguages]).toEqual([200, ["pt", "ja"]]);
		expect((await board.next((m) => m.type === "store")).store.languages).toEqual(["pt", "ja"]);

		const refused = [
			await call("PATCH", `/api/stores/${store.id}`, { token: admin, body: { displayLanguages: ["pt", "pt"] } }),
			await call("PATCH", `/api/stores/${store.id}`, { token: admin, body: { displayLanguages: ["pt", "ja", "de"] } }),
			await call("PATCH", `/api/stores/${store.id}`, { token: admin, body: { displayLanguages: ["xx"] } }),
			await call("PATCH", `/api/stores/${store.id}`, { token: admin, body: { displayLanguages: [] } }),
		];
		expect(refused.map((r) => [r.status, r.body.error.code])).toEqual(
			Array(refused.length).fill([400, "invalid_request"]),
		);
		const byBarista = await call("PATCH", `/api/stores/${store.id}`, {
			token: barista,
			body: { displayLanguages: ["de"] },
		});
		expect([byBarista.status, byBarista.body.error.code]).toEqual([403, "forbidden"]);
		expect((await call("GET", `/api/stores/${store.id}`)).body.settings.displayLanguages).toEqual(["pt", "ja"]);
		board.socket.close();
	});
});
