import { read, type ApiClient } from "#client/api.ts";
import { refusalCode, staffApi, timeout } from "#lib/api.ts";

/**
 * Whether the API refuses the session this browser keeps for a store's screen (it expired, a PIN changed, an
 * admin signed all staff out). A refused socket looks just like a dropped one, so a screen whose socket
 * keeps failing asks this; a network failure is not a refusal.
 */
export async function staffSessionRefused(storeId: string, api: ApiClient = staffApi(storeId)): Promise<boolean> {
	try {
		const session = await read(api.api.session.$get({}, timeout()));
		return session.storeId !== storeId && session.kind !== "admin";
	} catch (caught) {
		return refusalCode(caught) === "unauthenticated";
	}
}
