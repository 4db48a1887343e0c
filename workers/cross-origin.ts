import { cors } from "hono/cors";
import { idempotencyKeyHeader, replayedHeader } from "./contract/idempotency";

/**
 * The API answers browsers on other origins only when the deployment lists them in WEB_ORIGINS
 * (comma-separated, e.g. the front end's build on Cloudflare Pages). The front ends served by this Worker
 * are same-origin and need nothing. Clients send bearer tokens, never cookies, across origins, so
 * credentials stay off.
 */
export const crossOrigin = cors({
	origin: (origin, c) => {
		const allowed = (c.env as Env).WEB_ORIGINS.split(",")
			.map((entry) => entry.trim())
			.filter(Boolean);
		return allowed.includes(origin) ? origin : null;
	},
	allowMethods: ["GET", "POST", "PUT", "PATCH", "DELETE"],
	allowHeaders: ["authorization", "content-type", idempotencyKeyHeader],
	exposeHeaders: [replayedHeader],
	maxAge: 86_400,
});
