import { onMount, untrack } from "svelte";
import type { LiveState } from "#client/live.ts";
import { refusalText, storeNameOf } from "./api.ts";

/** What a page needs of a channel: the Svelte store contract, and a way to close it. */
interface Channel<T> {
	subscribe(run: (state: LiveState<T>) => void): () => void;
	close(): void;
}

/**
 * Keeps the channel `open` gives open while it gives one, handing each state to `onstate`; closes it, and calls
 * `onclose`, when `open` gives another or none, or the page goes. Only what `open` reads restarts the channel:
 * what `onstate` reads does not. Call it while the component initialises.
 */
export function follow<T>(
	open: () => Channel<T> | null,
	onstate: (state: LiveState<T>) => void,
	onclose?: () => void,
): void {
	$effect(() => {
		const channel = open();
		if (!channel) return;
		const stop = untrack(() => channel.subscribe(onstate));
		return () => {
			stop();
			channel.close();
			onclose?.();
		};
	});
}

/**
 * A staff screen's store name, read once when it opens (the store's id until then, or when offline); a store
 * that cannot be read (none by that id) is the screen's `error`.
 */
export function storeHeading(storeId: string | null): { name: string; error: string | null } {
	const heading = $state({ name: storeId ?? "", error: null as string | null });
	onMount(async () => {
		if (!storeId) return;
		try {
			heading.name = (await storeNameOf(storeId)) ?? heading.name;
		} catch (caught) {
			heading.error = refusalText(caught);
		}
	});
	return heading;
}
