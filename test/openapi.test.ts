import { describe, expect, it } from "vitest";
import { call } from "./helpers";

describe("GET /api/openapi.json", () => {
	it("documents every route of the route table with its schemas and refusals", async () => {
		const reply = await call("GET", "/api/openapi.json");
		expect(reply.status).toBe(200);
		const doc = reply.body;
		expect(doc.openapi).toBe("3.1.0");
		expect(doc.servers).toEqual([{ url: "/api" }]);
		const routes = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, methods]) =>
			Object.keys(methods).map((method) => `${method.toUpperCase()} /api${path}`),
		);
		expect(routes).toEqual(
			expect.arrayContaining([
				"POST /api/session",
				"POST /api/stores/{store}/staff/session",
				"POST /api/stores",
				"GET /api/stores",
				"GET /api/stores/{store}",
				"PATCH /api/stores/{store}",
				"GET /api/stores/{store}/qr",
				"POST /api/stores/{store}/scans",
				"GET /api/stores/{store}/orders",
				"PUT /api/orders/{id}",
				"GET /api/orders/{id}",
				"POST /api/orders/{id}/claim",
				"POST /api/orders/{id}/unclaim",
				"POST /api/orders/{id}/complete",
				"POST /api/orders/{id}/cancel",
				"GET /api/me/orders",
				"GET /api/push/key",
				"POST /api/orders/{id}/push",
				"DELETE /api/orders/{id}/push",
				"GET /api/orders/{id}/ws",
				"GET /api/stores/{store}/ws",
			]),
		);
		const scan = doc.paths["/stores/{store}/scans"].post;
		expect(Object.keys(scan.responses).sort()).toEqual(["200", "201", "400", "401", "403", "404", "409", "410", "422", "429"]);
		expect(doc.components.schemas).toHaveProperty("Order");
		expect(doc.components.schemas).toHaveProperty("Error");
		expect(doc.components.schemas.SubmitOrder.properties).toHaveProperty("drink");
	});
});
