import { createSubscriber } from "svelte/reactivity";

/**
 * The current time, as a reactive value for countdowns and "drops off after 10 minutes" rules. It ticks only
 * while something on screen reads it.
 */
class Clock {
	#subscribe = createSubscriber((update) => {
		const timer = setInterval(update, 500);
		return () => clearInterval(timer);
	});

	get now(): number {
		this.#subscribe();
		return Date.now();
	}

	/** Whole seconds from now until `iso` (never negative). */
	secondsUntil(iso: string): number {
		return Math.max(0, Math.ceil((Date.parse(iso) - this.now) / 1000));
	}
}

export const clock = new Clock();
