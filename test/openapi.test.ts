import { describe, expect, it } from "vitest";
import { call } from "./helpers";

interface Operation {
	operationId?: string;
	security?: Record<string, string[]>[];
	requestBody?: { content: Record<string, unknown> };
	parameters?: { name: string; in: string; schema: Record<string, unknown> }[];
	responses: Record<string, unknown>;
	"x-access": string;
}

async function operations() {
	const doc = (await call("GET", "/api/openapi.json")).body;
	return {
		doc,
		operations: Object.entries(doc.paths as Record<string, Record<string, Operation>>).flatMap(([path, methods]) =>
			Object.entries(methods).map(([method, operation]) => ({
				key: `${method.toUpperCase()} /api${path}`,
				path,
				operation,
			})),
		),
	};
}

/** The document's claims that tools rely on; test/contract.ts holds every reply of the suite to it. */
describe("GET /api/openapi.json", () => {
	it("documents every route with its schemas and refusals", async () => {
		const { doc, operations: all } = await operations();
		expect(doc.openapi).toBe("3.1.0");
		expect(doc.servers).toEqual([{ url: "/api" }]);
		expect(all.map((o) => o.key)).toEqual(
			expect.arrayContaining([
				"GET /api/health",
				"GET /api/journeys/{token}",
				"GET /api/openapi.json",
				"POST /api/session",
				"POST /api/stores/{store}/staff/session",
				"POST /api/stores",
				"GET /api/stores/{store}",
				"PATCH /api/stores/{store}",
				"GET /api/stores/{store}/qr",
				"POST /api/stores/{store}/scans",
				"PUT /api/orders/{id}",
				"POST /api/orders/{id}/claim",
				"GET /api/me/orders",
				"GET /api/push/key",
				"POST /api/orders/{id}/push",
				"GET /api/orders/{id}/ws",
				"GET /api/stores/{store}/ws",
			]),
		);
		const scan = doc.paths["/stores/{store}/scans"].post;
		expect(Object.keys(scan.responses).sort()).toEqual([
			"200",
			"201",
			"400",
			"401",
			"403",
			"404",
			"409",
			"410",
			"413",
			"415",
			"422",
			"429",
			"500",
			"503",
		]);
		expect(doc.components.schemas).toHaveProperty("Order");
		expect(doc.components.schemas).toHaveProperty("Error");
		expect(doc.components.schemas.SubmitOrder.properties).toHaveProperty("drink");
	});

	it("gives every operation a unique operationId", async () => {
		const { operations: all } = await operations();
		const ids = all.map((o) => o.operation.operationId);
		expect(all.filter((o) => !o.operation.operationId).map((o) => o.key)).toEqual([]);
		expect(new Set(ids).size).toBe(ids.length);
		expect(all.find((o) => o.key === "POST /api/stores/{store}/scans")?.operation.operationId).toBe("scanCode");
	});

	it("says which routes are public, from their access rule", async () => {
		const { doc, operations: all } = await operations();
		expect(doc.security).toEqual([{ bearer: [] }]);
		// `[]`: no token; `[{}, { bearer: [] }]`: a token is optional.
		const open = all.filter(
			(o) =>
				o.operation.security &&
				(o.operation.security.length === 0 || o.operation.security.some((s) => Object.keys(s).length === 0)),
		);
		expect(open.map((o) => o.key).sort()).toEqual(
			[
				"GET /api/health",
				"GET /api/journeys/{token}",
				"GET /api/openapi.json",
				"GET /api/push/key",
				"GET /api/stores/{store}",
				"GET /api/stores/{store}/ws",
				"GET /api/venue-events/{event}",
				"GET /api/venue-events/{event}/board",
				"POST /api/session",
				"POST /api/stores/{store}/display/session",
				"POST /api/stores/{store}/scans",
				"POST /api/stores/{store}/staff/session",
			].sort(),
		);
		for (const o of all.filter((o) => o.operation["x-access"] === "anyone" && o.key !== "POST /api/session"))
			expect(o.operation.security, o.key).toEqual([]);
	});

	it("declares 413 and 415 on every route that takes a body, and 422 on every keyed write", async () => {
		const { operations: all } = await operations();
		const bodies = all.filter((o) => o.operation.requestBody);
		expect(bodies.length).toBeGreaterThanOrEqual(10);
		for (const o of bodies)
			expect(Object.keys(o.operation.responses), o.key).toEqual(expect.arrayContaining(["413", "415"]));
		for (const o of all.filter((o) => o.operation.parameters?.some((p) => p.name === "Idempotency-Key"))) {
			expect(Object.keys(o.operation.responses), o.key).toContain("422");
		}
	});

	it("answers a body that is not JSON with 415 on every route that takes one", async () => {
		const { operations: all } = await operations();
		for (const o of all.filter((o) => o.operation.requestBody)) {
			const path = o.key
				.split(" ")[1]!
				.replace("{store}", "demo")
				.replace("{event}", "demo")
				.replace("{id}", crypto.randomUUID());
			const reply = await call(o.key.split(" ")[0]!, path, {
				rawBody: "name=Ada",
				headers: { "content-type": "application/x-www-form-urlencoded" },
			});
			expect([o.key, reply.status, reply.body.error?.code]).toEqual([o.key, 415, "unsupported_media_type"]);
		}
	});

	it("holds schemas as strict as the server: patterns, enums, closed bodies", async () => {
		const { doc } = await operations();
		const endpoint =
			doc.components.schemas.PushSubscription?.properties.endpoint ??
			doc.paths["/orders/{id}/push"].post.requestBody.content["application/json"].schema.properties.endpoint;
		expect(endpoint.pattern).toMatch(/^\^https:/);
		const state = doc.paths["/stores/{store}/orders"].get.parameters.find((p: { name: string }) => p.name === "state");
		expect(state.schema.items.enum).toEqual(["AWAITING_ORDER", "QUEUED", "MAKING", "READY", "CANCELLED", "TIMED_OUT"]);
		expect(
			doc.paths["/orders/{id}"].get.parameters.find((p: { name: string }) => p.name === "id").schema.pattern,
		).toBeTruthy();
		expect(
			doc.paths["/stores/{store}"].get.parameters.find((p: { name: string }) => p.name === "store").schema.pattern,
		).toBeTruthy();
		const staffBody = doc.paths["/stores/{store}/staff/session"].post.requestBody.content["application/json"].schema;
		expect(staffBody.additionalProperties).toBe(false);
		expect(staffBody.properties.pin.pattern).toBe("^[0-9]{4,12}$");
	});
});
