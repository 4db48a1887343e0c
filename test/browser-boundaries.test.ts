import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { attendee, call, createStore, currentCode, display, staff } from "./helpers";

async function cookieSession() {
	const created = await call("POST", "/api/session", { body: { name: "Lin" } });
	return { cookie: created.headers.get("set-cookie")!.split(";")[0]!, token: created.body.token as string };
}

describe("what a browser on another site cannot do", () => {
	it("refuses a write that rides on the session cookie from another site (CSRF)", async () => {
		const store = await createStore();
		const { code } = await currentCode(store.id, await staff(store.id));
		const { cookie } = await cookieSession();
		const forged = await call("POST", `/api/stores/${store.id}/scans`, {
			body: { code },
			headers: { cookie, origin: "https://evil.example" },
		});
		expect([forged.status, forged.body.error.code]).toEqual([403, "csrf_refused"]);
		const fetchMetadata = await call("POST", `/api/stores/${store.id}/scans`, {
			body: { code },
			headers: { cookie, "sec-fetch-site": "cross-site" },
		});
		expect(fetchMetadata.status).toBe(403);
		const ours = await call("POST", `/api/stores/${store.id}/scans`, {
			body: { code },
			headers: { cookie, origin: "https://edgepresso.test" },
		});
		expect(ours.status).toBe(201);
	});

	it("lets reads ride on the cookie, and bearer tokens from anywhere", async () => {
		const store = await createStore();
		const { code } = await currentCode(store.id, await staff(store.id));
		const { cookie, token } = await cookieSession();
		expect((await call("GET", "/api/me/orders", { headers: { cookie, origin: "https://evil.example" } })).status).toBe(
			200,
		);
		const bearer = await call("POST", `/api/stores/${store.id}/scans`, {
			token,
			body: { code },
			headers: { origin: "https://app.example" },
		});
		expect(bearer.status).toBe(201);
	});

	it("honours the cookie for attendee sessions only: a staff, display or admin token in it is refused", async () => {
		const store = await createStore();
		const barista = await staff(store.id);
		const cookieOf = (token: string) => ({ cookie: `__Host-edgepresso_session=${token}` });
		for (const token of [env.ADMIN_TOKEN, barista, await display(store.id, barista)]) {
			const reply = await call("GET", "/api/stores", { headers: cookieOf(token) });
			expect([reply.status, reply.body.error.code]).toEqual([401, "unauthenticated"]);
			expect(reply.body.error.message).toMatch(/never in a cookie/);
			expect((await call("GET", `/api/stores/${store.id}/qr`, { headers: cookieOf(token) })).status).toBe(401);
		}
		// The same tokens as bearer tokens work.
		expect((await call("GET", "/api/stores", { token: env.ADMIN_TOKEN })).status).toBe(200);
		expect((await call("GET", `/api/stores/${store.id}/qr`, { token: barista })).status).toBe(200);
	});

	it("renews an attendee id only from the __Host- cookie, never from one a sibling subdomain could plant", async () => {
		const planted = await attendee("Mallory");
		const fromSibling = await call("POST", "/api/session", {
			body: {},
			headers: { cookie: `edgepresso_session=${planted.token}` },
		});
		expect(fromSibling.status).toBe(201);
		expect(fromSibling.body.userId).not.toBe(planted.userId);
		// A __Host- cookie only this host can have set (browsers refuse it from anywhere else): its attendee goes on.
		const ours = await call("POST", "/api/session", {
			body: {},
			headers: { cookie: `__Host-edgepresso_session=${planted.token}` },
		});
		expect(ours.body.userId).toBe(planted.userId);
	});

	it("answers no other origin's preflight and names none in its CORS headers", async () => {
		const preflight = await call("OPTIONS", "/api/session", {
			headers: {
				origin: "https://evil.example",
				"access-control-request-method": "POST",
				"access-control-request-headers": "content-type",
			},
		});
		expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
		const plain = await call("GET", "/api/health", { headers: { origin: "https://evil.example" } });
		expect(plain.headers.get("access-control-allow-origin")).toBeNull();
		expect(plain.headers.get("access-control-allow-credentials")).toBeNull();
	});

	it("marks API replies as data that must not be framed, sniffed or cached", async () => {
		const reply = await call("GET", "/api/health");
		expect(reply.headers.get("x-content-type-options")).toBe("nosniff");
		expect(reply.headers.get("x-frame-options")).toBe("DENY");
		expect(reply.headers.get("referrer-policy")).toBe("no-referrer");
		expect(reply.headers.get("cache-control")).toBe("no-store");
		const cookie = (await call("POST", "/api/session", { body: {} })).headers.get("set-cookie")!;
		// __Host-: only this host can have set it (Secure, Path=/, no Domain), so no sibling subdomain can plant one.
		expect(cookie).toMatch(/^__Host-edgepresso_session=/);
		expect(cookie).toMatch(/; Path=\/(;|$)/);
		expect(cookie).not.toMatch(/Domain=/i);
		expect(cookie).toMatch(/HttpOnly/);
		expect(cookie).toMatch(/SameSite=Lax/);
		expect(cookie).toMatch(/Secure/);
	});
});
