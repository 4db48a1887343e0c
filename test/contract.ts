import { Validator, type Schema } from "@cfworker/json-schema";
import { exports } from "cloudflare:workers";

/**
 * The OpenAPI document held to what the server does: every reply the suite sees through `call` must have a
 * status its operation declares and, where that status declares JSON, a body that matches the schema. The
 * schemas are checked by an independent JSON Schema validator (draft 2020-12, no `eval`, so it runs in workerd).
 */

interface Operation {
	operationId: string;
	responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
}
interface Document {
	paths: Record<string, Record<string, Operation>>;
	components: Record<string, unknown>;
}
interface Template {
	path: string;
	pattern: RegExp;
	/** Fewer parameters first, so `/admin/dead-letters/redrive` wins over `/admin/dead-letters/{id}`. */
	parameters: number;
}

let loaded: Promise<{ document: Document; templates: Template[] }> | undefined;
const validators = new Map<string, Validator>();

function load() {
	loaded ??= (async () => {
		const response = await exports.default.fetch(new Request("https://edgepresso.test/api/openapi.json"));
		const document = (await response.json()) as Document;
		const templates = Object.keys(document.paths)
			.map((path) => ({
				path,
				pattern: new RegExp(`^${path.replace(/\{[^}]+\}/g, "[^/]*")}$`),
				parameters: path.split("{").length - 1,
			}))
			.sort((a, b) => a.parameters - b.parameters);
		return { document, templates };
	})();
	return loaded;
}

function validator(document: Document, key: string, schema: Schema): Validator {
	let found = validators.get(key);
	if (!found) {
		// The document's components ride along, so `#/components/schemas/…` resolves as it does in the document.
		found = new Validator({ ...schema, components: document.components } as Schema, "2020-12", false);
		validators.set(key, found);
	}
	return found;
}

/**
 * What is wrong with a reply for the document, or null when it matches. Requests outside the API, preflights,
 * and refusals of paths no route has are not operations.
 */
export async function contractBreach(
	method: string,
	url: string,
	status: number,
	contentType: string | null,
	text: string,
): Promise<string | null> {
	const pathname = new URL(url, "https://edgepresso.test").pathname;
	// CORS preflights are answered for every path by the cross-origin middleware: they are no operation.
	if (!pathname.startsWith("/api/") || method.toUpperCase() === "OPTIONS") return null;
	const { document, templates } = await load();
	const apiPath = pathname.slice("/api".length);
	const verb = method.toLowerCase();
	const template = templates.find((t) => t.pattern.test(apiPath) && document.paths[t.path]![verb]);
	const route = `${method} /api${template?.path ?? apiPath}`;
	if (!template) {
		// A path no route has is refused before routing (404, or a 4xx of the middleware every request meets).
		const refused = status >= 400 && status < 500 && /^\{"error":\{"code":/.test(text);
		return refused ? null : `${route}: answered ${status}, but no operation in the OpenAPI document has it`;
	}
	const operation = document.paths[template.path]![verb]!;
	const declared = operation.responses[String(status)];
	if (!declared)
		return `${route} (${operation.operationId}) answered ${status}, which it does not declare (${Object.keys(operation.responses).join(", ")})`;
	const schema = declared.content?.["application/json"]?.schema;
	if (!schema)
		return text === ""
			? null
			: `${route} (${operation.operationId}) ${status}: declares no body, but sent ${text.slice(0, 200)}`;
	if (!contentType?.startsWith("application/json"))
		return `${route} (${operation.operationId}) ${status}: content-type ${contentType}, not JSON`;
	const result = validator(document, `${template.path} ${verb} ${status}`, schema).validate(JSON.parse(text));
	if (result.valid) return null;
	const errors = result.errors.map((e) => `${e.instanceLocation}: ${e.error}`).join("; ");
	return `${route} (${operation.operationId}) ${status}: the body does not match the declared schema: ${errors}\n${text.slice(0, 500)}`;
}
