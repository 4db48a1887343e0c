import { printable } from "#contract/text.ts";

/**
 * The operator's terminal. Whatever came from the API (cup names, store names, menu labels, refusal messages)
 * may hold characters a terminal obeys — ESC and BEL sequences that set the clipboard or the title, bidi
 * overrides — so the scripts print it through these, which show such characters as `\uXXXX` instead.
 */
export function print(line: string): void {
	process.stdout.write(`${printable(line)}\n`);
}

export function printError(line: string): void {
	process.stderr.write(`${printable(line)}\n`);
}

export { printable };
