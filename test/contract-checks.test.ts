import { describe, expect, it } from "vitest";
import { contractBreach } from "./contract";
import { createStore } from "./helpers";

/** The response checks every test relies on (test/contract.ts) shown to bite: a reply that breaks the document is reported. */
describe("the response checks against the OpenAPI document", () => {
	const json = "application/json; charset=UTF-8";
	const check = (path: string, status: number, body: unknown, method = "GET") =>
		contractBreach(method, path, status, json, JSON.stringify(body));

	async function storeReply() {
		const store = await createStore();
		return { path: `/api/stores/${store.id}`, store: store as Record<string, unknown> };
	}

	it("passes a reply as the server sends it", async () => {
		const { path, store } = await storeReply();
		expect(await check(path, 200, store)).toBeNull();
	});

	it("reports a status the operation does not declare", async () => {
		const { path, store } = await storeReply();
		expect(await check(path, 418, store)).toMatch(/getStore\) answered 418, which it does not declare/);
		expect(await check("/api/push/key", 201, { key: "k" })).toMatch(/getPushKey\) answered 201/);
	});

	it("reports a body missing a required field", async () => {
		const { path, store } = await storeReply();
		const { name: _name, ...nameless } = store;
		expect(await check(path, 200, nameless)).toMatch(/getStore\) 200: the body does not match[^]*name/);
	});

	it("reports a field of the wrong type", async () => {
		const { path, store } = await storeReply();
		expect(await check(path, 200, { ...store, open: "yes" })).toMatch(
			/getStore\) 200: the body does not match[^]*\/open/,
		);
		expect(await check(path, 200, { ...store, version: 1.5 })).toMatch(/the body does not match[^]*\/version/);
	});

	it("reports a refusal whose body is not the error shape", async () => {
		const { path } = await storeReply();
		expect(await check(path, 404, { message: "no such store" })).toMatch(/404: the body does not match/);
	});

	it("reports a reply that is not JSON where the status declares JSON", async () => {
		const { path, store } = await storeReply();
		expect(await contractBreach("GET", path, 200, "text/plain", JSON.stringify(store))).toMatch(/not JSON/);
	});
});
