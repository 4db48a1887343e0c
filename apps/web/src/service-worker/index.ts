/**
 * The service worker: keeps the app's files so the order page opens at once on crowded venue Wi-Fi (and
 * still opens, with its last state, when the network drops), and shows the "your drink is ready" notice a
 * push message brings when the page is closed. The API is never cached: orders must be live or absent.
 */
import { immutable, prerendered } from "$app/manifest";
import { version } from "$app/env";
import { self } from "$app/service-worker";
import type { PushNotice } from "#contract/push.ts";

const cacheName = `edgepresso-${version}`;
/** Offline, a page without a shell of its own gets the root's: the single-page app routes any path from it. */
const anyPage = "/";
/** The page shells (`/order`, `/display`, …) and the hashed build files they load. */
const precache = [
	...new Set([anyPage, ...prerendered.map((page) => `/${page.path}`), ...immutable.map((file) => `/${file.path}`)]),
];

self.addEventListener("install", (event) => {
	event.waitUntil(
		caches
			.open(cacheName)
			.then((cache) => cache.addAll(precache))
			.then(() => self.skipWaiting()),
	);
});

self.addEventListener("activate", (event) => {
	event.waitUntil(
		caches
			.keys()
			.then((keys) => Promise.all(keys.filter((key) => key !== cacheName).map((key) => caches.delete(key))))
			.then(() => self.clients.claim()),
	);
});

self.addEventListener("fetch", (event) => {
	const request = event.request;
	const url = new URL(request.url);
	if (request.method !== "GET" || url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;

	if (request.mode === "navigate") {
		// Fresh pages when online (a new deployment shows at once), the cached shell when not.
		event.respondWith(
			fetch(request).catch(
				async () => (await caches.match(url.pathname)) ?? (await caches.match(anyPage)) ?? Response.error(),
			),
		);
		return;
	}
	// Build files have content hashes in their names: a cached copy is always the right one.
	event.respondWith(caches.match(request).then((cached) => cached ?? fetch(request)));
});

self.addEventListener("push", (event) => {
	const notice = event.data?.json() as PushNotice | undefined;
	if (!notice) return;
	// `renotify` is in the Notifications standard and in Chromium, not in TypeScript's DOM types.
	const options: NotificationOptions & { renotify: boolean } = {
		body: notice.body,
		icon: "/icon-192.png",
		badge: "/icon-192.png",
		// One notice per order: "ready" replaces an earlier one instead of stacking, and still alerts (a
		// barista's call replaces "ready" and must be heard).
		tag: `order-${notice.orderId}`,
		renotify: true,
		data: { url: notice.url },
	};
	event.waitUntil(self.registration.showNotification(notice.title, options));
});

self.addEventListener("notificationclick", (event) => {
	event.notification.close();
	const target = new URL((event.notification.data as { url?: string } | null)?.url ?? "/order", self.location.origin)
		.href;
	event.waitUntil(
		self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(async (windows) => {
			const open = windows.find((w) => w.url === target) ?? windows.find((w) => new URL(w.url).pathname === "/order");
			if (open) {
				await open.focus();
				if (open.url !== target) await open.navigate(target);
				return;
			}
			await self.clients.openWindow(target);
		}),
	);
});
