import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { rules } from "../../workers/events/consumer";
import { renderEventDocs } from "./event-docs";

/**
 * `npm run events:docs`: writes docs/events.md from the event catalog and the consumer rules.
 * `--check` only says whether the page is current (exit 1 if not).
 */
const target = path.join(import.meta.dirname, "../../docs/events.md");
const page = renderEventDocs(rules);
const current = (() => {
	try {
		return readFileSync(target, "utf8");
	} catch {
		return null;
	}
})();

if (process.argv.includes("--check")) {
	if (current !== page) {
		console.error("docs/events.md is out of date: run npm run events:docs");
		process.exit(1);
	}
	console.log("docs/events.md is current");
} else if (current === page) {
	console.log("docs/events.md is already current");
} else {
	writeFileSync(target, page);
	console.log(`wrote docs/events.md (${page.split("\n").length} lines)`);
}
