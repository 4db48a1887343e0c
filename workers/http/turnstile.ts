import type { Context } from "hono";
import { config } from "#contract/config.ts";
import type { AuthEnv } from "./auth";
import { ApiError } from "./errors";

declare global {
	interface Env {
		/**
		 * Turnstile's secret key (`wrangler secret put TURNSTILE_SECRET_KEY`): set, minting an attendee session
		 * takes a passed challenge. Optional, so not in wrangler.toml's `[secrets] required`.
		 */
		TURNSTILE_SECRET_KEY?: string;
		/** Where siteverify is reached; only tests point it at their own fake of the service. */
		TURNSTILE_VERIFY_URL?: string;
	}
}

/**
 * Cloudflare Turnstile guards minting an attendee session when its secret is set: the order page runs the
 * widget, and the Worker verifies the widget's token with siteverify (single use, five minutes, for our
 * hostname and the `session` action) before the session records that it passed. Hoarding QR tokens then
 * costs a solved challenge per attendee id instead of nothing.
 */

const siteverifyUrl = "https://challenges.cloudflare.com/turnstile/v0/siteverify";
/** The widget's `action`: siteverify echoes it, so a token solved for another form of ours is refused. */
export const challengeAction = "session";

export function turnstileOn(env: Env): boolean {
	return Boolean(env.TURNSTILE_SECRET_KEY);
}

export function challengeRequired(env: Env): ApiError {
	return new ApiError(
		"challenge_required",
		"Pass the quick check on the order page first: it keeps one person from taking every drink.",
		{
			siteKey: env.TURNSTILE_SITE_KEY,
		},
	);
}

interface Verdict {
	success: boolean;
	"error-codes"?: string[];
	hostname?: string;
	action?: string;
}

const failures: Record<string, string> = {
	"timeout-or-duplicate": "That check was already used or has expired: the page will run a new one.",
	"invalid-input-response": "That check did not pass: please try again.",
	"missing-input-response": "The check's answer is missing: please try again.",
};

/** The hostnames our pages are served from: the widget's token names the one it was solved on. */
function ourHostnames(c: Context<AuthEnv>): string[] {
	const origins = [c.req.url, c.env.PUBLIC_ORIGIN, ...config(c.env).webOrigins].map((origin) => origin.trim());
	return origins.filter((origin) => URL.canParse(origin)).map((origin) => new URL(origin).hostname);
}

/**
 * Asks siteverify about a widget's token. A dropped connection or a 5xx is asked once more with the same
 * idempotency key, so the retry gets the first answer instead of `timeout-or-duplicate`.
 */
async function siteverify(c: Context<AuthEnv>, token: string): Promise<Verdict | null> {
	const form = new URLSearchParams({
		secret: c.env.TURNSTILE_SECRET_KEY!,
		response: token,
		idempotency_key: crypto.randomUUID(),
	});
	const ip = c.req.header("cf-connecting-ip");
	if (ip) form.set("remoteip", ip);
	for (let attempt = 0; attempt < 2; attempt++) {
		try {
			const response = await fetch(c.env.TURNSTILE_VERIFY_URL || siteverifyUrl, { method: "POST", body: form });
			if (response.status < 500) return (await response.json()) as Verdict;
		} catch (error) {
			console.warn(`siteverify unreachable (${String(error)})`);
		}
	}
	return null;
}

/** Refuses unless siteverify says the token is a fresh, passed challenge for our hostname and the `session` action. */
export async function verifyChallenge(c: Context<AuthEnv>, token: string): Promise<void> {
	const verdict = await siteverify(c, token);
	if (!verdict)
		throw new ApiError("unavailable", "The check could not be verified right now: please try again in a moment.");
	const codes = verdict["error-codes"] ?? [];
	if (!verdict.success) {
		if (codes.some((code) => code.endsWith("-secret"))) {
			console.error(`siteverify refused our secret (${codes.join(", ")}): check TURNSTILE_SECRET_KEY`);
			throw new ApiError("unavailable", "The check could not be verified right now: please try again in a moment.");
		}
		const known = codes.find((code) => code in failures);
		throw new ApiError("challenge_failed", known ? failures[known]! : "That check did not pass: please try again.", {
			errorCodes: codes,
		});
	}
	if (!verdict.hostname || !ourHostnames(c).includes(verdict.hostname)) {
		throw new ApiError("challenge_failed", "That check was solved on another site.", {
			hostname: verdict.hostname ?? null,
		});
	}
	if (verdict.action !== challengeAction) {
		throw new ApiError("challenge_failed", "That check was solved for something else.", {
			action: verdict.action ?? null,
		});
	}
}
