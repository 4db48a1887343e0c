/**
 * The deployment's settings (wrangler.toml `[vars]`, `.dev.vars`), each read and typed in one place for the
 * Worker and the objects alike. Lists are comma-separated; blanks around entries do not count.
 */
export interface Config {
	/** How long a finished order's object keeps it; the read model answers for it after that. */
	orderRetentionMs: number;
	/** Public boards of one store one network may hold open. */
	boardSocketsPerNetwork: number;
	/** Other origins whose pages may call the API (the front end's build on Pages). */
	webOrigins: string[];
	/** Client addresses the per-network limits leave alone (a venue's own gateway). */
	rateLimitExemptIps: string[];
	/** Push services browsers may subscribe with, lowercase; `*.` matches subdomains. */
	pushServiceHosts: string[];
}

const list = (value: string): string[] =>
	value
		.split(",")
		.map((entry) => entry.trim())
		.filter(Boolean);

export function config(env: Env): Config {
	return {
		orderRetentionMs: Number(env.ORDER_RETENTION_DAYS) * 86_400_000,
		boardSocketsPerNetwork: Number(env.BOARD_SOCKETS_PER_NETWORK),
		webOrigins: list(env.WEB_ORIGINS),
		rateLimitExemptIps: list(env.RATE_LIMIT_EXEMPT_IPS),
		pushServiceHosts: list(env.PUSH_SERVICE_HOSTS).map((host) => host.toLowerCase()),
	};
}
