import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

/**
 * `npm run docs:check` (part of `npm test`): the documents and the code say only what the repository holds.
 * Every repository path cited in README.md, docs/*.md and the sources (backticks, links and code blocks in
 * Markdown; any path with a file extension in the sources' comments and texts), and every
 * `docs/<page>.md#<anchor>`, must exist; and nothing may cite a document that is not in the repository. A
 * renamed file or heading fails here until its citations follow.
 */
const root = path.join(import.meta.dirname, "..");
const listed = ["ls-files", "--cached", "--others", "--exclude-standard"];
const tracked = execFileSync("git", listed, { cwd: root, encoding: "utf8" })
	.split("\n")
	.filter((file) => file && existsSync(path.join(root, file)));
const self = path.relative(root, import.meta.filename);

const markdown = tracked.filter((file) => file.endsWith(".md"));
const notSources = new Set(["worker-configuration.d.ts", self]);
const sources = tracked.filter((file) => /\.(ts|mjs|js|svelte)$/.test(file) && !notSources.has(file));

/** What the checker never resolves: files the build, the tests or `npm run dev` make, and placeholders. */
const generated = [
	/^test-results\//,
	/^apps\/web\/build\//,
	/^\.wrangler\//,
	/^\.dev\.vars/,
	/^node_modules\//,
	/^\.svelte-kit\//,
];

/** Citations of documents outside the repository (the words are split so this file does not cite them). */
const outside = [
	[new RegExp(["DESIGN", "(\\.md)?\\s*§"].join("")), "a design document outside the repository"],
	[new RegExp(["DESIGN", "\\.md"].join("")), "a design document outside the repository"],
	[new RegExp(["reference", "\\/[\\w-]+\\.md"].join("")), "a reference note outside the repository"],
	[new RegExp(["STYLE", "\\.md"].join("")), "a style guide outside the repository"],
	[new RegExp(["\\/work", "\\/"].join("")), "a path on a development machine"],
];

const problems = [];
const anchorsOf = new Map();

/** GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
function anchors(file) {
	if (anchorsOf.has(file)) return anchorsOf.get(file);
	const found = new Set();
	const seen = new Map();
	let fenced = false;
	for (const line of readFileSync(path.join(root, file), "utf8").split("\n")) {
		if (/^\s*```/.test(line)) fenced = !fenced;
		if (fenced) continue;
		for (const [, id] of line.matchAll(/<a (?:id|name)="([^"]+)"/g)) found.add(id);
		const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
		if (!heading) continue;
		const base = heading[1]
			.replace(/<[^>]+>/g, "")
			.replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
			.toLowerCase()
			.replace(/[^\p{L}\p{N}\s_-]/gu, "")
			.replace(/\s/g, "-");
		const count = seen.get(base) ?? 0;
		seen.set(base, count + 1);
		found.add(count === 0 ? base : `${base}-${count}`);
	}
	anchorsOf.set(file, found);
	return found;
}

/**
 * Where a cited path is: from the repository's root, or (as code comments often say `contract/bursts.ts`)
 * from the citing file's folder or any folder above it. Null when it is nowhere.
 */
function resolve(from, cited) {
	const clean = cited.replace(/^\.\//, "").replace(/\/$/, "");
	const starts = [];
	for (let dir = path.dirname(from); ; dir = path.dirname(dir)) {
		starts.push(dir);
		if (dir === "." || dir === "/") break;
	}
	for (const start of starts) {
		const candidate = path.normalize(path.join(start, clean));
		if (!candidate.startsWith("..") && existsSync(path.join(root, candidate))) return candidate;
	}
	return null;
}

function check(file, line, cited) {
	const [target, anchor] = cited.split("#", 2);
	if (!target) {
		if (anchor !== undefined && file.endsWith(".md") && !anchors(file).has(anchor)) {
			problems.push(`${file}:${line}: no heading #${anchor} here`);
		}
		return;
	}
	if (generated.some((pattern) => pattern.test(target))) return;
	const found = resolve(file, target);
	if (!found) {
		problems.push(`${file}:${line}: cites ${target}, which is not in the repository`);
		return;
	}
	if (anchor !== undefined && found.endsWith(".md") && !anchors(found).has(anchor)) {
		problems.push(`${file}:${line}: cites ${found}#${anchor}, which has no such heading`);
	}
}

/** A path-like word: folders and a file with an extension, or a folder ending in a slash. */
const extensions = "ts|mjs|js|svelte|md|json|sql|toml|css|html|webmanifest|txt";
const pathLike = new RegExp(`^(?:\\./)?[\\w.@+-]+(?:/[\\w.@+[\\]-]+)*(?:\\.(?:${extensions})|/)(?:#[\\w-]+)?$`);
/** In code: folders, then a file with an extension (and an anchor), not inside a longer word or URL. */
const inCode = new RegExp(
	`(?<![\\w/.#:@-])((?:[\\w.@+-]+/)+[\\w.@+[\\]-]+\\.(?:${extensions})(?:#[\\w-]+)?)(?![\\w/])`,
	"g",
);
const docsAnchor = /(?<![\w/.-])(docs\/[\w-]+\.md#[\w-]+)/g;

for (const file of [...markdown, ...sources]) {
	const text = readFileSync(path.join(root, file), "utf8");
	const lines = text.split("\n");
	let fenced = false;
	lines.forEach((content, index) => {
		const line = index + 1;
		for (const [pattern, what] of outside) {
			if (pattern.test(content)) problems.push(`${file}:${line}: cites ${what}`);
		}
		const cited = new Set();
		const fence = file.endsWith(".md") && /^\s*```/.test(content);
		if (fence) fenced = !fenced;
		if (file.endsWith(".md") && !fenced && !fence) {
			for (const [, target] of content.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
				if (!/^[a-z][a-z+.-]*:/i.test(target)) cited.add(target);
			}
			for (const [, code] of content.matchAll(/`([^`\s]+)`/g)) {
				if (pathLike.test(code) && !code.startsWith("/") && code.includes("/")) cited.add(code);
			}
		} else if (!fence) {
			// Sources, and the code blocks of documents: a path with a file extension.
			for (const match of content.matchAll(inCode)) {
				// A whole string literal that is a path is an argument the program uses, not a citation.
				const [before, after] = [content[match.index - 1], content[match.index + match[0].length]];
				if (before === undefined || before !== after || !`"'\``.includes(before)) cited.add(match[1]);
			}
		}
		for (const [, anchored] of content.matchAll(docsAnchor)) cited.add(anchored);
		for (const target of cited) check(file, line, target);
	});
}

if (problems.length > 0) {
	const count = `${problems.length} citation${problems.length === 1 ? "" : "s"}`;
	console.error(`docs:check: ${count} to fix\n${problems.join("\n")}`);
	process.exit(1);
}
console.log(
	`docs:check: every path and anchor cited in ${markdown.length} documents and ${sources.length} sources exists`,
);
