/** A small JSON client for the operator's scripts: the API's error shape becomes an Error naming its code. */
export class Refused extends Error {
	constructor(
		public readonly status: number,
		public readonly code: string,
		message: string,
	) {
		super(`${status} ${code}: ${message}`);
	}
}

export async function call<T = unknown>(
	base: string,
	method: string,
	path: string,
	options: { token?: string; body?: unknown } = {},
): Promise<T> {
	const headers: Record<string, string> = {};
	if (options.token) headers.authorization = `Bearer ${options.token}`;
	if (options.body !== undefined) headers["content-type"] = "application/json";
	const response = await fetch(new URL(path, base), {
		method,
		headers,
		body: options.body === undefined ? undefined : JSON.stringify(options.body),
	});
	const body = (await response.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
	if (!response.ok)
		throw new Refused(response.status, body?.error?.code ?? "http_error", body?.error?.message ?? response.statusText);
	return body as T;
}

/** Reads `--name value` and `--flag` options after the positional arguments. */
export function parseArgs(argv: string[]): { positional: string[]; options: Record<string, string | true> } {
	const positional: string[] = [];
	const options: Record<string, string | true> = {};
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i]!;
		if (!arg.startsWith("--")) {
			positional.push(arg);
			continue;
		}
		const [name, inline] = arg.slice(2).split("=", 2) as [string, string | undefined];
		const next = argv[i + 1];
		if (inline !== undefined) options[name] = inline;
		else if (next !== undefined && !next.startsWith("--")) options[name] = argv[++i]!;
		else options[name] = true;
	}
	return { positional, options };
}
