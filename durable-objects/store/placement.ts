import type { Region } from "#contract/store.ts";

/**
 * The options a store's object, or one of its orders' objects, is first reached with: its region as the
 * location hint, so the object is created near the venue. A hint matters only when the object is created;
 * local workerd ignores it.
 */
export function placement(region: Region | undefined): { locationHint?: Region } {
	return region ? { locationHint: region } : {};
}
