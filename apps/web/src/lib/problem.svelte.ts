import { isNetworkFailure, refusalText } from "#lib/api.ts";

/**
 * A problem to show in a banner, which knows whether the network caused it: "No connection…" is over once
 * the connection is back, so it must not stay on screen after that (nor after a retry that worked).
 */
export class Problem {
	text = $state<string | null>(null);
	#network = false;

	set(caught: unknown): void {
		this.text = refusalText(caught);
		this.#network = isNetworkFailure(caught);
	}

	clear(): void {
		this.text = null;
	}

	/** Call while the component initialises: clears a network problem each time `live()` turns true. */
	clearWhenLive(live: () => boolean): void {
		$effect(() => {
			if (live() && this.#network) this.clear();
		});
	}
}
