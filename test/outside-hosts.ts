import { vi } from "vitest";

/**
 * Stands in for services outside the Worker (a push service, an extension's endpoint): the Worker's requests to
 * a host served here go to its handler, the rest out as usual. The consumers run in the test's isolate, so
 * spying on the global fetch catches what they send.
 */

const handlers = new Map<string, (request: Request) => Promise<Response>>();

export function serveHost(host: string, handle: (request: Request) => Promise<Response>): void {
	if (!vi.isMockFunction(globalThis.fetch)) {
		const network = globalThis.fetch;
		vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
			const handler = handlers.get(new URL(input instanceof Request ? input.url : input).host);
			return handler ? handler(new Request(input, init)) : network(input, init);
		});
	}
	handlers.set(host, handle);
}
