import { cors } from "hono/cors";
import { config } from "#contract/config.ts";
import { idempotencyKeyHeader, replayedHeader } from "#contract/idempotency.ts";

/**
 * The API answers browsers on other origins only when the deployment lists them in WEB_ORIGINS
 * (comma-separated, e.g. the front end's build on Cloudflare Pages). The front ends served by this Worker
 * are same-origin and need nothing. Clients send bearer tokens, never cookies, across origins, so
 * credentials stay off.
 */
export const crossOrigin = cors({
	origin: (origin, c) => {
		return config(c.env as Env).webOrigins.includes(origin) ? origin : null;
	},
	allowMethods: ["GET", "POST", "PUT", "PATCH", "DELETE"],
	allowHeaders: ["authorization", "content-type", idempotencyKeyHeader],
	exposeHeaders: [replayedHeader],
	maxAge: 86_400,
});
