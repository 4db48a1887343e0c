import js from "@eslint/js";
import prettier from "eslint-config-prettier";
import svelte from "eslint-plugin-svelte";
import globals from "globals";
import ts from "typescript-eslint";

export default ts.config(
	{
		ignores: [
			"node_modules/",
			"apps/web/build/",
			"apps/web/.svelte-kit/",
			".wrangler/",
			"worker-configuration.d.ts",
			"test-results/",
			"test/bench/results/",
		],
	},
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	prettier,
	...svelte.configs.prettier,
	{ languageOptions: { globals: { ...globals.browser, ...globals.node } } },
	{ files: ["**/*.svelte", "**/*.svelte.ts"], languageOptions: { parserOptions: { parser: ts.parser } } },
	{
		rules: {
			// A leading underscore marks a binding kept for its position (a tuple slot, an unused parameter).
			"@typescript-eslint/no-unused-vars": [
				"error",
				{
					argsIgnorePattern: "^_",
					varsIgnorePattern: "^_",
					destructuredArrayIgnorePattern: "^_",
					ignoreRestSiblings: true,
				},
			],
			// The app is served from the origin's root (no `paths.base`), so links and goto() need no resolve().
			"svelte/no-navigation-without-resolve": "off",
		},
	},
	{
		// Tests read JSON replies and D1 rows loosely; what a reply must look like is asserted, and checked against the API's schemas.
		files: ["test/**/*.ts"],
		rules: { "@typescript-eslint/no-explicit-any": "off" },
	},
);
