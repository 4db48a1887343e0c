/**
 * Keeps the screen on while the page is visible (a tablet on the bar, a TV by it), taking the lock again
 * whenever the page comes back into view. Returns the function that lets the screen sleep again.
 */
export function keepScreenOn(): () => void {
	if (!("wakeLock" in navigator)) return () => {};
	let lock: WakeLockSentinel | null = null;
	const acquire = () => {
		if (document.visibilityState === "visible")
			navigator.wakeLock.request("screen").then(
				(l) => (lock = l),
				() => {},
			);
	};
	acquire();
	document.addEventListener("visibilitychange", acquire);
	return () => {
		document.removeEventListener("visibilitychange", acquire);
		lock?.release();
	};
}
