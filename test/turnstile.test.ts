import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { attendee, call, createStore, currentCode, staff } from "./helpers";
import { siteverifyUrl, TurnstileService } from "./siteverify";

/**
 * Turnstile guards minting attendee sessions when its secret is set, so that hoarding a QR code's drinks
 * costs a solved challenge per attendee id. The Worker verifies with a fake of siteverify that keeps the
 * real service's rules (single use, idempotency keys, five minutes, hostname and action).
 */

let turnstile: TurnstileService;
/** The Worker with Turnstile on: its secret set, siteverify at the fake. */
let on: Env;

beforeAll(() => {
	turnstile = TurnstileService.create();
	on = {
		...env,
		TURNSTILE_SECRET_KEY: turnstile.secret,
		TURNSTILE_SITE_KEY: turnstile.siteKey,
		TURNSTILE_VERIFY_URL: siteverifyUrl,
	};
});

function session(body: Record<string, unknown> = {}, options: { token?: string; ip?: string } = {}) {
	return call("POST", "/api/session", {
		body,
		env: on,
		...(options.token ? { token: options.token } : {}),
		headers: options.ip ? { "cf-connecting-ip": options.ip } : {},
	});
}

async function openCode() {
	const store = await createStore({ drinksPerCode: 100, capacity: 100 });
	return { store, code: (await currentCode(store.id, await staff(store.id))).code };
}

describe("Turnstile, when its secret is set", () => {
	it("mints a session only for a passed challenge, verified server-side, and that session scans", async () => {
		const refused = await session({ name: "Hoarder" });
		expect([refused.status, refused.body.error.code]).toEqual([403, "challenge_required"]);
		expect(refused.body.error.details.siteKey).toBe(turnstile.siteKey);

		const passed = await session({ name: "Ada", turnstile: turnstile.solve() }, { ip: "203.0.113.50" });
		expect(passed.status).toBe(201);
		const asked = turnstile.verifications.at(-1)!;
		expect(asked).toMatchObject({
			secret: turnstile.secret,
			remoteip: "203.0.113.50",
			idempotencyKey: expect.stringMatching(/^[0-9a-f-]{36}$/),
		});

		const { store, code } = await openCode();
		expect(
			(await call("POST", `/api/stores/${store.id}/scans`, { token: passed.body.token, body: { code }, env: on }))
				.status,
		).toBe(201);
		// A scan starts no session while the challenge guards them: the phone passes it first.
		const bare = await call("POST", `/api/stores/${store.id}/scans`, { body: { code }, env: on });
		expect([bare.status, bare.body.error.code, bare.headers.get("set-cookie")]).toEqual([401, "unauthenticated", null]);
	});

	it("leaves a script that mints sessions to hoard a code's drinks with none (the repro of issue 10)", async () => {
		const { store, code } = await openCode();
		const minted = await Promise.all(Array.from({ length: 12 }, () => session({ name: "Hoarder" })));
		expect(minted.map((reply) => reply.body.error.code)).toEqual(Array(12).fill("challenge_required"));
		const qr = await currentCode(store.id, await staff(store.id));
		expect(qr).toMatchObject({ code, tokensLeft: 100 });
	});

	it("refuses a failing token, a replayed one, one solved on another site or for another form, and a stale one", async () => {
		const failing = await session({ turnstile: "XXXX.never-issued" });
		expect([failing.status, failing.body.error.code, failing.body.error.details.errorCodes]).toEqual([
			403,
			"challenge_failed",
			["invalid-input-response"],
		]);

		const token = turnstile.solve();
		expect((await session({ turnstile: token })).status).toBe(201);
		const replayed = await session({ turnstile: token });
		expect([replayed.status, replayed.body.error.details.errorCodes]).toEqual([403, ["timeout-or-duplicate"]]);

		const elsewhere = await session({ turnstile: turnstile.solve({ hostname: "evil.example" }) });
		expect([elsewhere.status, elsewhere.body.error.code, elsewhere.body.error.details.hostname]).toEqual([
			403,
			"challenge_failed",
			"evil.example",
		]);
		const otherForm = await session({ turnstile: turnstile.solve({ action: "newsletter" }) });
		expect([otherForm.status, otherForm.body.error.details.action]).toEqual([403, "newsletter"]);
		const stale = await session({ turnstile: turnstile.solve({ secondsAgo: 301 }) });
		expect(stale.body.error.details.errorCodes).toEqual(["timeout-or-duplicate"]);
	});

	it("keeps a session from before Turnstile out of scans until it passes, then keeps its attendee id", async () => {
		const before = await attendee("Grace");
		const { store, code } = await openCode();
		const refused = await call("POST", `/api/stores/${store.id}/scans`, {
			token: before.token,
			body: { code },
			env: on,
		});
		expect([refused.status, refused.body.error.code]).toEqual([403, "challenge_required"]);
		const renewed = await session({ turnstile: turnstile.solve() }, { token: before.token });
		expect(renewed.body.userId).toBe(before.userId);
		expect(
			(await call("POST", `/api/stores/${store.id}/scans`, { token: renewed.body.token, body: { code }, env: on }))
				.status,
		).toBe(201);
		// Renewing a session that passed keeps the pass without a new challenge.
		const again = await session({}, { token: renewed.body.token });
		expect([again.status, again.body.userId]).toEqual([201, before.userId]);
	});

	it("asks siteverify again with the same idempotency key when an answer is lost, and gets the first answer", async () => {
		turnstile.loseNextAnswer();
		const asked = turnstile.verifications.length;
		expect((await session({ turnstile: turnstile.solve() })).status).toBe(201);
		const [first, retry] = turnstile.verifications.slice(asked);
		expect(retry!.idempotencyKey).toBe(first!.idempotencyKey);
	});

	it("refuses with 503, and mints nothing, when siteverify cannot be reached or refuses our secret", async () => {
		turnstile.setDown(true);
		try {
			const down = await session({ turnstile: turnstile.solve() });
			expect([down.status, down.body.error.code]).toEqual([503, "unavailable"]);
		} finally {
			turnstile.setDown(false);
		}
		const wrongSecret = await call("POST", "/api/session", {
			body: { turnstile: turnstile.solve() },
			env: { ...on, TURNSTILE_SECRET_KEY: "0x4AAA-rotated" },
		});
		expect(wrongSecret.status).toBe(503);
		expect(wrongSecret.headers.get("set-cookie")).toBeNull();
	});
});

describe("Turnstile, when its secret is not set (local dev, the robot, the bench)", () => {
	it("mints sessions and admits scans without a challenge, and ignores a token", async () => {
		const plain = await call("POST", "/api/session", { body: { turnstile: "anything" } });
		expect(plain.status).toBe(201);
		const { store, code } = await openCode();
		expect(
			(await call("POST", `/api/stores/${store.id}/scans`, { token: plain.body.token, body: { code } })).status,
		).toBe(201);
	});
});
