import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { app } from "../workers/http/app";

const pages = "https://edgepresso-web.pages.dev";

/** The Worker as deployed with `webOrigins` in WEB_ORIGINS, asked by a page on `origin`. */
function fromPage(origin: string, webOrigins: string, method = "GET", headers: Record<string, string> = {}) {
	const request = new Request("https://api.edgepresso.test/api/health", { method, headers: { origin, ...headers } });
	return app.fetch(request, { ...env, WEB_ORIGINS: webOrigins });
}

describe("the API called from a front end on another origin (Pages)", () => {
	it("lets a listed origin send its bearer token", async () => {
		const preflight = await fromPage(pages, `https://other.example, ${pages}`, "OPTIONS", {
			"access-control-request-method": "PUT",
			"access-control-request-headers": "authorization, content-type, idempotency-key",
		});
		expect(preflight.status).toBe(204);
		expect(preflight.headers.get("access-control-allow-origin")).toBe(pages);
		expect(preflight.headers.get("access-control-allow-headers")?.toLowerCase().split(",")).toEqual(
			expect.arrayContaining(["authorization", "content-type", "idempotency-key"]),
		);
		expect(preflight.headers.get("access-control-allow-methods")).toContain("PUT");

		const reply = await fromPage(pages, pages);
		expect(reply.status).toBe(200);
		expect(reply.headers.get("access-control-allow-origin")).toBe(pages);
		expect(reply.headers.get("access-control-allow-credentials")).toBeNull();
		// A page may read whether a write's answer was replayed for its Idempotency-Key.
		expect(reply.headers.get("access-control-expose-headers")?.toLowerCase()).toContain("idempotent-replayed");
	});

	it("gives any other origin nothing to read, and none at all by default", async () => {
		expect((await fromPage("https://evil.example", pages)).headers.get("access-control-allow-origin")).toBeNull();
		expect((await fromPage(pages, "")).headers.get("access-control-allow-origin")).toBeNull();
	});
});
