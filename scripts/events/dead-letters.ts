import type { DeadLetter, DeadLetterList, RedriveResult } from "../../workers/events/dead-letters";
import { adminToken } from "../admin-token";
import { call, parseArgs } from "../http";
import { print, printable, printError } from "../terminal";

/**
 * `npm run events:dead-letters -- [list | redrive [id…] | discard id…] [--json] [--url <base>]`
 *
 * The messages the event consumer gave up on (after its retries, or because they were not catalog events).
 * `list` shows them; once the cause is fixed, `redrive` sends them back to the events queue exactly as they
 * first arrived (all of them, or the ids given) — one that fails again comes back as a new row; `discard`
 * removes rows for good.
 */
const usage =
	"usage: npm run events:dead-letters -- [list | redrive [id…] | discard <id>…] [--json] [--url http://localhost:8787] [--admin-token <token>]";
const { positional, options } = parseArgs(process.argv.slice(2));
const [command = "list", ...rest] = positional;
const base = typeof options.url === "string" ? options.url : "http://localhost:8787";
const found = adminToken(options["admin-token"]);
const ids = rest.map(Number);
if (
	options.help ||
	!["list", "redrive", "discard"].includes(command) ||
	ids.some((id) => !Number.isSafeInteger(id) || id < 1) ||
	(command === "discard" && ids.length === 0)
) {
	console.error(usage);
	process.exit(options.help ? 0 : 2);
}
if (!found) {
	console.error(`events:dead-letters needs the admin token: --admin-token, $ADMIN_TOKEN or .dev.vars\n${usage}`);
	process.exit(2);
}
const token: string = found;

async function listAll(): Promise<{ rows: DeadLetter[]; total: number }> {
	const rows: DeadLetter[] = [];
	for (let after = 0; ;) {
		const page = await call<DeadLetterList>(base, "GET", `/api/admin/dead-letters?after=${after}&limit=100`, { token });
		rows.push(...page.deadLetters);
		if (page.deadLetters.length < 100) return { rows, total: page.total };
		after = page.deadLetters.at(-1)!.id;
	}
}

const cut = (text: string, width: number) => (text.length > width ? `${text.slice(0, width - 1)}…` : text);

function printTable(rows: DeadLetter[]): void {
	// Escaped before measuring, so the columns line up with what is printed.
	const table = rows.map((row) => [
		String(row.id),
		row.receivedAt.replace("T", " ").slice(0, 19),
		cut(printable(`${row.type ?? "(not an event)"}${row.replay ? " (replay)" : ""}`), 36),
		row.orderId ? printable(row.orderId.slice(0, 8)) : "-",
		cut(printable(row.error.replace(/\s+/g, " ")), 60),
	]);
	const head = ["id", "received (UTC)", "type", "order", "error"];
	const widths = head.map((h, i) => Math.max(h.length, ...table.map((r) => r[i]!.length)));
	const line = (cells: string[]) =>
		cells
			.map((cell, i) => cell.padEnd(widths[i]!))
			.join("  ")
			.trimEnd();
	print(line(head));
	for (const row of table) print(line(row));
}

try {
	if (command === "list") {
		const { rows, total } = await listAll();
		if (options.json) print(JSON.stringify(rows, null, 2));
		else if (rows.length === 0) console.log("No dead letters: the consumer has handled every event.");
		else {
			printTable(rows);
			console.log(
				`\n${total} dead letter${total === 1 ? "" : "s"}. Fix the cause, then: npm run events:dead-letters -- redrive [id…]`,
			);
		}
	} else if (command === "redrive") {
		let redriven = 0;
		if (ids.length > 0) {
			for (let i = 0; i < ids.length; i += 100) {
				redriven += (
					await call<RedriveResult>(base, "POST", "/api/admin/dead-letters/redrive", {
						token,
						body: { ids: ids.slice(i, i + 100) },
					})
				).redriven;
			}
		} else {
			// Up to the newest row seen now: a message that fails again comes back after it and is not sent twice.
			const newest = (await listAll()).rows.at(-1)?.id;
			for (let remaining = newest === undefined ? 0 : 1; remaining > 0;) {
				const page = await call<RedriveResult>(base, "POST", "/api/admin/dead-letters/redrive", {
					token,
					body: { through: newest },
				});
				redriven += page.redriven;
				remaining = page.redriven > 0 ? page.remaining : 0;
			}
		}
		if (options.json) console.log(JSON.stringify({ redriven }));
		else
			console.log(
				`Sent ${redriven} dead letter${redriven === 1 ? "" : "s"} back to the events queue. Any that fail again return to the list within minutes.`,
			);
	} else {
		for (const id of ids) await call(base, "DELETE", `/api/admin/dead-letters/${id}`, { token });
		if (options.json) console.log(JSON.stringify({ discarded: ids.length }));
		else console.log(`Discarded ${ids.length} dead letter${ids.length === 1 ? "" : "s"}.`);
	}
} catch (error) {
	printError(`events:dead-letters ${command}: ${error instanceof Error ? error.message : String(error)}`);
	process.exit(1);
}
