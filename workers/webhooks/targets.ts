/**
 * Where a webhook may be sent: a public https address, never this deployment and never a private or special
 * one. Checked when an endpoint is registered or changed, and again before every delivery (the deployment's
 * own origin may have changed since). The URL parser already turns numeric tricks (`https://2130706433/`,
 * `0x7f.1`, `0177.0.0.1`) into dotted IPv4 and writes IPv6 in one form, so the checks read its hostname.
 */

/** IPv4 ranges no webhook may reach: this network, private, shared (CGNAT), loopback, link-local, benchmarking, documentation, multicast and reserved. */
const privateIPv4: [string, number][] = [
	["0.0.0.0", 8],
	["10.0.0.0", 8],
	["100.64.0.0", 10],
	["127.0.0.0", 8],
	["169.254.0.0", 16],
	["172.16.0.0", 12],
	["192.0.0.0", 24],
	["192.0.2.0", 24],
	["192.168.0.0", 16],
	["198.18.0.0", 15],
	["198.51.100.0", 24],
	["203.0.113.0", 24],
	["224.0.0.0", 3],
];

function ipv4Number(text: string): number | null {
	const parts = text.split(".");
	if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return null;
	return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

function isPrivateIPv4(address: number): boolean {
	return privateIPv4.some(([base, bits]) => {
		const size = 2 ** (32 - bits);
		return Math.floor(address / size) === Math.floor(ipv4Number(base)! / size);
	});
}

/** The eight 16-bit groups of an IPv6 literal (as the URL parser writes it, without brackets); null if it is not one. */
function ipv6Groups(text: string): number[] | null {
	const halves = text.split("::");
	if (halves.length > 2) return null;
	const groups = halves.map((half) => (half === "" ? [] : half.split(":")));
	const parse = (group: string) => (/^[0-9a-f]{1,4}$/i.test(group) ? parseInt(group, 16) : NaN);
	const head = groups[0]!.map(parse);
	const tail = (groups[1] ?? []).map(parse);
	const missing = 8 - head.length - tail.length;
	if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
	const all = [...head, ...Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
	return all.some(Number.isNaN) ? null : all;
}

function isPrivateIPv6(groups: number[]): boolean {
	const [a = 0, b = 0, , , , f = 0, g = 0, h = 0] = groups;
	const zeroUpTo = (n: number) => groups.slice(0, n).every((x) => x === 0);
	if (zeroUpTo(7) && (h === 0 || h === 1)) return true; // :: and ::1
	if ((a & 0xfe00) === 0xfc00) return true; // fc00::/7 unique local
	if ((a & 0xffc0) === 0xfe80) return true; // fe80::/10 link-local
	if ((a & 0xff00) === 0xff00) return true; // ff00::/8 multicast
	if (a === 0x2001 && b === 0x0db8) return true; // 2001:db8::/32 documentation
	// IPv4 inside IPv6: mapped (::ffff:a.b.c.d), compatible (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) carry their IPv4 risk.
	const embedded = g * 65536 + h;
	if (zeroUpTo(5) && (f === 0xffff || f === 0)) return isPrivateIPv4(embedded);
	if (a === 0x64 && b === 0xff9b && groups.slice(2, 6).every((x) => x === 0)) return isPrivateIPv4(embedded);
	return false;
}

const privateSuffixes = [".localhost", ".local", ".internal", ".localdomain", ".home.arpa", ".lan", ".intranet"];

/**
 * Why `url` may not receive webhooks, or null when it may. `ownHosts` are this deployment's hosts (its public
 * origin, the host an admin reached it on).
 */
export function refusedTarget(url: string, ownHosts: readonly string[]): string | null {
	if (!URL.canParse(url)) return "is not a URL";
	const parsed = new URL(url);
	if (parsed.protocol !== "https:") return "must use https";
	if (parsed.username || parsed.password) return "must not carry credentials";
	const host = parsed.hostname.toLowerCase().replace(/\.$/, "");
	if (ownHosts.some((own) => own.toLowerCase().replace(/\.$/, "") === host)) return "is this deployment itself";
	if (host.startsWith("[")) {
		const groups = ipv6Groups(host.slice(1, -1));
		return groups === null || isPrivateIPv6(groups) ? "is a private or special IPv6 address" : null;
	}
	const v4 = ipv4Number(host);
	if (v4 !== null) return isPrivateIPv4(v4) ? "is a private or special IPv4 address" : null;
	if (host === "localhost" || privateSuffixes.some((suffix) => host.endsWith(suffix))) return "is a local name";
	// A single label (https://intranet/) resolves on a private network's DNS, if anywhere.
	if (!host.includes(".")) return "is not a public domain name";
	return null;
}

/** This deployment's own hosts: its public origin's, and the host of the request at hand (if any). */
export function ownHosts(env: Env, requestUrl?: string): string[] {
	const hosts: string[] = [];
	if (env.PUBLIC_ORIGIN && URL.canParse(env.PUBLIC_ORIGIN)) hosts.push(new URL(env.PUBLIC_ORIGIN).hostname);
	if (requestUrl) hosts.push(new URL(requestUrl).hostname);
	return hosts;
}
