import { apiClient, ApiRefusal, read } from "#client/api.ts";
import { notPlainText } from "#contract/text.ts";
import { t } from "#lib/strings.ts";
import { attendeeToken, displaySession, staffSession } from "#lib/session.ts";

/** Where the API runs: the page's own origin, unless the build was pointed elsewhere (a Pages deployment). */
export const apiOrigin: string = import.meta.env.VITE_API_ORIGIN || location.origin;

/** The API as the attendee on this phone. */
export const attendeeApi = apiClient(apiOrigin, attendeeToken);

/** The API as this store's signed-in staff (barista, admin). */
export function staffApi(storeId: string) {
	return apiClient(apiOrigin, () => staffSession(storeId)?.token);
}

/** The API as this store's signed-in display. */
export function displayApi(storeId: string) {
	return apiClient(apiOrigin, () => displaySession(storeId)?.token);
}

/** Calls give up after this long, so a dead venue Wi-Fi shows an error instead of a spinner forever. */
const requestTimeoutMs = 15_000;

export function timeout() {
	return { init: { signal: AbortSignal.timeout(requestTimeoutMs) } };
}

/**
 * A fresh `Idempotency-Key` (sent with `idempotent(key)`). Made from `getRandomValues`, which (unlike
 * `randomUUID`) also works on a page served over plain http on the venue's network.
 */
export function newKey(): string {
	return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** Did the request fail on the way (no network, a timeout, a gateway), rather than being answered? */
export function isNetworkFailure(error: unknown): boolean {
	if (error instanceof ApiRefusal) return error.status >= 502 && error.status <= 504;
	return (
		error instanceof TypeError ||
		(error instanceof DOMException && (error.name === "TimeoutError" || error.name === "AbortError"))
	);
}

/**
 * The key of one intended request (an attendee's order, a cancel): a retry after a network failure sends the
 * same key, so a request that did reach the server is not done twice; an answer ends it.
 */
export class RetryKey {
	#body: string | null = null;
	#key = "";

	async send<T>(body: unknown, call: (key: string) => Promise<T>): Promise<T> {
		const json = JSON.stringify(body);
		if (json !== this.#body) [this.#body, this.#key] = [json, newKey()];
		try {
			const reply = await call(this.#key);
			this.#body = null;
			return reply;
		} catch (caught) {
			if (!isNetworkFailure(caught)) this.#body = null;
			throw caught;
		}
	}
}

/** Words a person understands for anything a call can throw. */
export function refusalText(error: unknown): string {
	if (error instanceof ApiRefusal) {
		if (error.code === "invalid_request" && error.message.includes(notPlainText)) return t.refusal.notPlainText;
		const known = (t.refusal as Record<string, string>)[error.code];
		return known ?? error.message ?? t.refusal.unknown;
	}
	if (error instanceof DOMException && (error.name === "TimeoutError" || error.name === "AbortError"))
		return t.refusal.timeout;
	if (error instanceof TypeError) return t.refusal.network;
	return t.refusal.unknown;
}

export function refusalCode(error: unknown): string | null {
	return error instanceof ApiRefusal ? error.code : null;
}

/**
 * A store's name, for a staff screen's title. Null when the network is down (a tablet reloaded during a
 * drop keeps working, and its live channel brings the name later); throws when there is no such store.
 */
export async function storeNameOf(storeId: string): Promise<string | null> {
	try {
		return (await read(attendeeApi.api.stores[":store"].$get({ param: { store: storeId } }, timeout()))).name;
	} catch (caught) {
		if (isNetworkFailure(caught)) return null;
		throw caught;
	}
}
