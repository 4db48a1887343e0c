import type { ApiClient } from "#client/api.ts";
import { staffSessionRefused } from "./staff-check.ts";

/**
 * For a staff screen (the tablet, the display): a refused socket looks just like a dropped one, so while the
 * socket keeps reconnecting this asks the API, one question at a time, whether the session still holds, and
 * calls `ended` when it does not. Call it while the component initialises.
 */
export function watchStaffSession(
	storeId: string | null,
	status: () => string | undefined,
	ended: () => void,
	api?: ApiClient,
): void {
	let probing = false;
	$effect(() => {
		if (status() !== "reconnecting" || probing || !storeId) return;
		probing = true;
		staffSessionRefused(storeId, api)
			.then((refused) => refused && ended())
			.finally(() => (probing = false));
	});
}
