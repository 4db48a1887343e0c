import { describe, expect, it } from "vitest";
import { call, createStore, currentCode, staff } from "./helpers";

async function cookieSession() {
	const created = await call("POST", "/api/session", { body: { name: "Lin" } });
	return { cookie: created.headers.get("set-cookie")!.split(";")[0]!, token: created.body.token as string };
}

describe("what a browser on another site cannot do", () => {
	it("refuses a write that rides on the session cookie from another site (CSRF)", async () => {
		const store = await createStore();
		const { code } = await currentCode(store.id, await staff(store.id));
		const { cookie } = await cookieSession();
		const forged = await call("POST", `/api/stores/${store.id}/scans`, { body: { code }, headers: { cookie, origin: "https://evil.example" } });
		expect([forged.status, forged.body.error.code]).toEqual([403, "csrf_refused"]);
		const fetchMetadata = await call("POST", `/api/stores/${store.id}/scans`, { body: { code }, headers: { cookie, "sec-fetch-site": "cross-site" } });
		expect(fetchMetadata.status).toBe(403);
		const ours = await call("POST", `/api/stores/${store.id}/scans`, { body: { code }, headers: { cookie, origin: "https://edgepresso.test" } });
		expect(ours.status).toBe(201);
	});

	it("lets reads ride on the cookie, and bearer tokens from anywhere", async () => {
		const store = await createStore();
		const { code } = await currentCode(store.id, await staff(store.id));
		const { cookie, token } = await cookieSession();
		expect((await call("GET", "/api/me/orders", { headers: { cookie, origin: "https://evil.example" } })).status).toBe(200);
		const bearer = await call("POST", `/api/stores/${store.id}/scans`, { token, body: { code }, headers: { origin: "https://app.example" } });
		expect(bearer.status).toBe(201);
	});

	it("answers no other origin's preflight and names none in its CORS headers", async () => {
		const preflight = await call("OPTIONS", "/api/session", {
			headers: { origin: "https://evil.example", "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
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
		expect(cookie).toMatch(/HttpOnly/);
		expect(cookie).toMatch(/SameSite=Lax/);
		expect(cookie).toMatch(/Secure/);
	});
});
