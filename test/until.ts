type Truthy<T> = Exclude<T, false | 0 | "" | null | undefined>;

/**
 * Polls `condition` until it gives a truthy value, and returns that value. It has no deadline of its own: on a
 * loaded machine a condition may take long to come true, and the test runner's timeout (vitest.config.ts) is
 * what notices one that never does.
 */
export async function until<T>(condition: () => T | Promise<T>, intervalMs = 50): Promise<Truthy<Awaited<T>>> {
	for (;;) {
		const value = await condition();
		if (value) return value as Truthy<Awaited<T>>;
		await new Promise((resolve) => setTimeout(resolve, intervalMs));
	}
}
