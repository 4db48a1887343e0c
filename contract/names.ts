import { z } from "zod";
import { plainTextProblem } from "./text";

/**
 * The schema of every name and label a person types (cup names, staff names, store names, the menu's
 * drinks, option groups and choices): trimmed, at most `max` characters, and plain text — no control, bidi
 * or zero-width characters (see text.ts). A refusal names the field and the character.
 */
export function plainText(max: number) {
	return z
		.string()
		.superRefine((text, ctx) => {
			const problem = plainTextProblem(text);
			if (problem) ctx.addIssue({ code: "custom", message: problem });
		})
		.trim()
		.max(max);
}
