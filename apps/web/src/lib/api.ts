import { apiClient, ApiRefusal } from "#client/api.ts";
import { notPlainText } from "#contract/text.ts";
import { t } from "#lib/strings.ts";
import { attendeeToken, staffSession } from "#lib/session.ts";

/** Where the API runs: the page's own origin, unless the build was pointed elsewhere (a Pages deployment). */
export const apiOrigin: string = import.meta.env.VITE_API_ORIGIN || location.origin;

/** The API as the attendee on this phone. */
export const attendeeApi = apiClient(apiOrigin, attendeeToken);

/** The API as this store's signed-in staff (display, barista, admin). */
export function staffApi(storeId: string) {
	return apiClient(apiOrigin, () => staffSession(storeId)?.token);
}

/** Calls give up after this long, so a dead venue Wi-Fi shows an error instead of a spinner forever. */
const requestTimeoutMs = 15_000;

export function timeout() {
	return { init: { signal: AbortSignal.timeout(requestTimeoutMs) } };
}

/** Words a person understands for anything a call can throw. */
export function refusalText(error: unknown): string {
	if (error instanceof ApiRefusal) {
		if (error.code === "invalid_request" && error.message.includes(notPlainText)) return t.refusal.notPlainText;
		const known = (t.refusal as Record<string, string>)[error.code];
		return known ?? error.message ?? t.refusal.unknown;
	}
	if (error instanceof DOMException && (error.name === "TimeoutError" || error.name === "AbortError")) return t.refusal.timeout;
	if (error instanceof TypeError) return t.refusal.network;
	return t.refusal.unknown;
}

export function refusalCode(error: unknown): string | null {
	return error instanceof ApiRefusal ? error.code : null;
}
