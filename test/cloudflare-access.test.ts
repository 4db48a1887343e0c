import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { sign } from "hono/jwt";
import { afterEach, describe, expect, it, vi } from "vitest";
import { app } from "../workers/http/app";
import { baristaPin, createStore, staff } from "./helpers";

const team = "https://edgepresso-team.cloudflareaccess.com";
const aud = "aud-tag-0123456789";
const withAccess = { ...env, ACCESS_TEAM_DOMAIN: team, ACCESS_AUD: aud } as Env;

/** The team's signing key, published at its certs URL the way Cloudflare Access publishes it. */
async function accessTeam() {
	const pair = (await crypto.subtle.generateKey(
		{ name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
		true,
		["sign", "verify"],
	)) as CryptoKeyPair;
	const publicJwk = {
		...((await crypto.subtle.exportKey("jwk", pair.publicKey)) as JsonWebKey),
		kid: "k1",
		alg: "RS256",
	};
	const privateJwk = {
		...((await crypto.subtle.exportKey("jwk", pair.privateKey)) as JsonWebKey),
		kid: "k1",
		alg: "RS256",
	};
	const realFetch = globalThis.fetch;
	vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
		const url = new Request(input as RequestInfo).url;
		if (url === `${team}/cdn-cgi/access/certs`) return Response.json({ keys: [publicJwk] });
		return realFetch(input as RequestInfo, init);
	});
	const now = Math.floor(Date.now() / 1000);
	return {
		assertion: (claims: Record<string, unknown> = {}) =>
			sign(
				{ iss: team, aud: [aud], sub: "barista@example.com", iat: now, exp: now + 600, ...claims },
				privateJwk as never,
				"RS256",
			),
	};
}

async function request(method: string, path: string, headers: Record<string, string>, body?: unknown) {
	const ctx = createExecutionContext();
	const init: RequestInit = {
		method,
		headers: { ...headers, ...(body ? { "content-type": "application/json" } : {}) },
	};
	if (body) init.body = JSON.stringify(body);
	const response = await app.fetch(new Request(`https://edgepresso.test${path}`, init), withAccess, ctx);
	await waitOnExecutionContext(ctx);
	return { status: response.status, body: (await response.json()) as any };
}

afterEach(() => vi.restoreAllMocks());

describe("Cloudflare Access in front of the staff side (when configured)", () => {
	it("asks staff for a valid Access assertion, and leaves attendees alone", async () => {
		const store = await createStore();
		const barista = await staff(store.id);
		const { assertion } = await accessTeam();
		const auth = { authorization: `Bearer ${barista}` };

		expect((await request("GET", `/api/stores/${store.id}/qr`, auth)).status).toBe(401);
		expect(
			(await request("GET", `/api/stores/${store.id}/qr`, { ...auth, "cf-access-jwt-assertion": await assertion() }))
				.status,
		).toBe(200);
		const signIn = await request("POST", `/api/stores/${store.id}/staff/session`, {}, { pin: baristaPin });
		expect([signIn.status, signIn.body.error.code]).toEqual([401, "unauthenticated"]);
		expect(
			(
				await request(
					"POST",
					`/api/stores/${store.id}/staff/session`,
					{ "cf-access-jwt-assertion": await assertion() },
					{ pin: baristaPin },
				)
			).status,
		).toBe(200);
		expect((await request("POST", "/api/session", {}, { name: "Ada" })).status).toBe(201);
		expect((await request("GET", `/api/stores/${store.id}`, {})).status).toBe(200);
	});

	it("refuses assertions for another application, expired ones, and ones not signed by the team", async () => {
		const store = await createStore();
		const auth = { authorization: `Bearer ${env.ADMIN_TOKEN}` };
		const { assertion } = await accessTeam();
		const now = Math.floor(Date.now() / 1000);
		const stranger = (await crypto.subtle.generateKey(
			{ name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
			true,
			["sign", "verify"],
		)) as CryptoKeyPair;
		const strangerJwk = {
			...((await crypto.subtle.exportKey("jwk", stranger.privateKey)) as JsonWebKey),
			kid: "k1",
			alg: "RS256",
		};
		const forged = await sign({ iss: team, aud: [aud], iat: now, exp: now + 600 }, strangerJwk as never, "RS256");
		for (const bad of [
			await assertion({ aud: ["another-app"] }),
			await assertion({ exp: now - 10, iat: now - 700 }),
			await assertion({ iss: "https://evil.cloudflareaccess.com" }),
			forged,
			"garbage",
		]) {
			const reply = await request("GET", `/api/stores/${store.id}/orders`, { ...auth, "cf-access-jwt-assertion": bad });
			expect([reply.status, reply.body.error.code]).toEqual([401, "unauthenticated"]);
		}
		expect(
			(
				await request("GET", `/api/stores/${store.id}/orders`, {
					...auth,
					"cf-access-jwt-assertion": await assertion(),
				})
			).status,
		).toBe(200);
	});
});
