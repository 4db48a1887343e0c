import js from "@eslint/js";
import prettier from "eslint-config-prettier";
import svelte from "eslint-plugin-svelte";
import globals from "globals";
import ts from "typescript-eslint";

/**
 * One way into each part of the tree (docs/contributing.md#imports): the shared contract and the client by their
 * aliases, a Durable Object through its entry file, and no layer reaching up into the one above it.
 */
const contract = {
	regex: "^\\.{1,2}/(.+/)?contract/",
	message: "Import the shared contract by its alias: #contract/<file>.ts.",
};
const client = {
	regex: "^\\.{1,2}/(.+/)?(apps/)?client/",
	message: "Import the client by its alias: #client/<file>.ts.",
};
const objectInternals = {
	regex: "durable-objects/(?!(store/store|order/order|attendees/directory|tail/tail|venue-event/venue-event)$)",
	message: "Reach a Durable Object through its entry file (its class and RPC types); its other modules are its own.",
};
const server = {
	regex: "(^|/)(workers|durable-objects)/",
	allowTypeImports: true,
	message: "The apps reach the server over HTTP: from workers/ they import types only (AppType).",
};
const aboveContract = {
	regex: "(^|/)(workers|durable-objects|apps)/|^#(client|lib)/",
	message: "The contract is the bottom layer: it imports nothing from the server or the apps.",
};
const worker = {
	regex: "(^|/)workers/(?!meter$)",
	message: "A Durable Object does not import the Worker (only its meter, for the cost bench).",
};
const imports = (...patterns) => ({ "@typescript-eslint/no-restricted-imports": ["error", { patterns }] });

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
	{ files: ["**/*.{js,mjs,ts,svelte}"], rules: imports(contract, client) },
	{ files: ["contract/**"], rules: imports(aboveContract) },
	{ files: ["apps/client/**"], rules: imports(contract, server) },
	{ files: ["apps/web/**", "apps/robot/**"], rules: imports(contract, client, server) },
	{ files: ["workers/**", "scripts/**"], rules: imports(contract, client, objectInternals) },
	{ files: ["durable-objects/**"], rules: imports(contract, client, worker) },
);
