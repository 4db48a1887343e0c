import { adminToken } from "../admin-token";
import { call, parseArgs } from "../http";

/**
 * `npm run events:replay -- --from <iso> --to <iso> [--store <id>] [--rebuild] [--url <base>]`
 *
 * Re-sends the archived events (D1 `order_events`) of a time range, and optionally of one store, to the
 * events Queue. The consumer feeds replayed events only to replay-safe rules (the D1 projector): nobody's
 * phone is notified again. With `--rebuild` the projection rows the range covers (its orders and stores)
 * are deleted first, so they are rebuilt from the events alone; without it, replay only fills in what is
 * missing (the projector ignores what it already has).
 */
const usage =
	"usage: npm run events:replay -- --from <iso time> --to <iso time> [--store <id>] [--rebuild] [--url http://localhost:8787] [--admin-token <token>]";
const { options } = parseArgs(process.argv.slice(2));
const base = typeof options.url === "string" ? options.url : "http://localhost:8787";
const token = adminToken(options["admin-token"]);
const from = typeof options.from === "string" ? new Date(options.from) : null;
const to = typeof options.to === "string" ? new Date(options.to) : null;
if (options.help || !from || !to || Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) {
	console.error(usage);
	process.exit(options.help ? 0 : 2);
}
if (!token) {
	console.error(`events:replay needs the admin token: --admin-token, $ADMIN_TOKEN or .dev.vars\n${usage}`);
	process.exit(2);
}

const replay = `replay-${new Date().toISOString()}`;
const scope = typeof options.store === "string" ? `store ${options.store}` : "every store";
console.log(
	`${replay}: ${options.rebuild ? "rebuilding" : "replaying"} ${scope}, ${from.toISOString()} → ${to.toISOString()}`,
);

let cursor: string | null = null;
let sent = 0;
try {
	do {
		const page: { sent: number; cursor: string | null; wiped: { orders: number; stores: number } | null } = await call(
			base,
			"POST",
			"/api/admin/replay",
			{
				token,
				body: {
					from: from.toISOString(),
					to: to.toISOString(),
					replay,
					rebuild: options.rebuild === true,
					...(typeof options.store === "string" ? { store: options.store } : {}),
					...(cursor ? { cursor } : {}),
				},
			},
		);
		if (page.wiped)
			console.log(`deleted ${page.wiped.orders} order rows and ${page.wiped.stores} store rows from the projection`);
		sent += page.sent;
		cursor = page.cursor;
		process.stdout.write(`\rsent ${sent} events`);
	} while (cursor);
} catch (error) {
	console.error(`\nreplay stopped after ${sent} events: ${error instanceof Error ? error.message : String(error)}`);
	process.exit(1);
}
console.log(
	`\nsent ${sent} events to the queue; the projector applies them as the queue delivers them, within seconds.`,
);
