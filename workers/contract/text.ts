/**
 * Plain text: what a name or label a person typed may hold, and how the scripts print text that came from
 * the API. No zod here: the front ends and the scripts import it.
 */

const kinds = [
	// C0 and C1 controls: ESC and BEL start the escape sequences a terminal obeys (clipboard, title, clear).
	{ kind: "a control character", pattern: "\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029" },
	// Bidi embeddings, overrides, isolates and marks reorder the text around them.
	{ kind: "a bidi control", pattern: "\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069" },
	// Zero-width characters hide inside a name ("FREE<U+200B>COFFEE" shows as one word).
	{ kind: "a zero-width character", pattern: "\\u200b-\\u200d\\u2060\\ufeff" },
];

/** One character no name or label may hold. */
export const unsafeCharacter = new RegExp(`[${kinds.map((k) => k.pattern).join("")}]`, "u");
const unsafeCharacters = new RegExp(unsafeCharacter.source, "gu");

/** How a refusal of such a character begins (the front ends recognise it by this). */
export const notPlainText = "must be plain text";

/** Why `text` is not plain text ("must be plain text: U+001B, a control character, is not allowed"), or null. */
export function plainTextProblem(text: string): string | null {
	const found = unsafeCharacter.exec(text)?.[0];
	if (found === undefined) return null;
	const kind = kinds.find((k) => new RegExp(`[${k.pattern}]`, "u").test(found))!.kind;
	return `${notPlainText}: ${codePoint(found)}, ${kind}, is not allowed`;
}

/**
 * Text from the API made safe to print in a terminal: every unsafe character becomes its `\uXXXX` escape,
 * so an escape sequence in a cup name shows as text instead of acting. (Inside a JSON string the escape is
 * still valid JSON.)
 */
export function printable(text: string): string {
	return text.replace(unsafeCharacters, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function codePoint(c: string): string {
	return `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`;
}
