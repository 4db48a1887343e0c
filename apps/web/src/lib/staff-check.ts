import { read } from "#client/api.ts";
import { refusalCode, staffApi, timeout } from "#lib/api.ts";

/**
 * Whether the API refuses the staff session this browser keeps for a store (it expired, a PIN changed, an
 * admin signed all staff out). A refused socket looks just like a dropped one, so a screen whose socket
 * keeps failing asks this; a network failure is not a refusal.
 */
export async function staffSessionRefused(storeId: string): Promise<boolean> {
	try {
		await read(staffApi(storeId).api.stores[":store"].orders.$get({ param: { store: storeId }, query: { limit: "1" } }, timeout()));
		return false;
	} catch (caught) {
		const code = refusalCode(caught);
		return code === "unauthenticated" || code === "forbidden";
	}
}
