/**
 * Registers the service worker (src/service-worker), which keeps every screen's files for flaky venue Wi-Fi
 * and shows pushes. Screens call this once their first view is up: on a slow phone its install downloads
 * every screen's files, which must not compete with the first screen for the network.
 */
export function keepForOffline(): void {
	if ("serviceWorker" in navigator) navigator.serviceWorker.register("/service-worker.js").catch(() => undefined);
}
