import type { Browser } from "playwright-core";
import { viewports } from "./browser";

/**
 * An attendee's phone on a weak venue signal: what opening the display's QR code costs on slow 3G (Chromium's
 * network emulation, cold cache). The browser suite runs it to show it works; `npm run bench -- --only browser`
 * runs it three times and holds the median against the budget. Nothing here asserts a time.
 */

export const slow3g = { latencyMs: 400, downKbps: 400, upKbps: 400 };

/** The budgets of the phone's first screen (issue 12). */
export const phoneBudget = { firstPaintMs: 1_200, menuUsableMs: 2_500 };

export interface PhoneLoad {
	/** The first contentful paint: the brand and the skeleton. */
	firstPaintMs: number;
	/** From opening the URL until the drinks can be picked (the menu's radio buttons are on screen). */
	menuUsableMs: number;
	/** Bytes over the network (compressed, with headers) and requests, until the menu was usable. */
	bytes: number;
	requests: number;
	/** The API requests sent before the menu was usable ("METHOD /api/…"). */
	apiRequests: string[];
}

/**
 * Notes when the drinks can be picked. A string, not a function: tsx's compiled functions call helpers that
 * exist only in Node.
 */
const menuWatch = `new MutationObserver((_, observer) => {
	if (!document.querySelector("input[name=drink]:not([disabled])")) return;
	window.edgepressoMenuUsable(performance.now());
	observer.disconnect();
}).observe(document, { childList: true, subtree: true });`;

/** Opens `url` (an /order?store=…&code=… address) in a fresh phone context and measures its first screen. */
export async function openOnSlow3g(browser: Browser, url: string): Promise<PhoneLoad> {
	const context = await browser.newContext({
		viewport: viewports.phone,
		deviceScaleFactor: 1,
		isMobile: true,
		hasTouch: true,
		locale: "en-GB",
	});
	try {
		const page = await context.newPage();
		const cdp = await context.newCDPSession(page);
		await cdp.send("Network.enable");
		await cdp.send("Network.emulateNetworkConditions", {
			offline: false,
			latency: slow3g.latencyMs,
			downloadThroughput: (slow3g.downKbps * 1000) / 8,
			uploadThroughput: (slow3g.upKbps * 1000) / 8,
		});
		// Network events carry a monotonic clock; the first request's wall time ties it to the page's.
		let wallOffset: number | null = null;
		const sent: { at: number; api: string | null }[] = [];
		const finished: { at: number; bytes: number }[] = [];
		cdp.on("Network.requestWillBeSent", (event) => {
			wallOffset ??= event.wallTime - event.timestamp;
			const { pathname } = new URL(event.request.url);
			sent.push({
				at: event.timestamp,
				api: pathname.startsWith("/api/") ? `${event.request.method} ${pathname}` : null,
			});
		});
		cdp.on("Network.loadingFinished", (event) =>
			finished.push({ at: event.timestamp, bytes: event.encodedDataLength }),
		);
		let usable: (at: number) => void = () => {};
		const menuAt = new Promise<number>((resolve) => (usable = resolve));
		await page.exposeFunction("edgepressoMenuUsable", (at: number) => usable(at));
		await page.addInitScript({ content: menuWatch });
		await page.goto(url, { waitUntil: "commit" });
		const menu = await menuAt;
		const timing = (await page.evaluate(`({
			origin: performance.timeOrigin,
			paint: performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? NaN,
		})`)) as { origin: number; paint: number };
		const until = (timing.origin + menu) / 1000 - (wallOffset ?? 0);
		return {
			firstPaintMs: Math.round(timing.paint),
			menuUsableMs: Math.round(menu),
			bytes: finished.filter((f) => f.at <= until).reduce((n, f) => n + f.bytes, 0),
			requests: sent.filter((s) => s.at <= until).length,
			apiRequests: sent.filter((s) => s.at <= until && s.api).map((s) => s.api!),
		};
	} finally {
		await context.close();
	}
}

/** The median of each figure over runs. */
export function median(runs: PhoneLoad[]): PhoneLoad {
	const mid = (pick: (run: PhoneLoad) => number) => {
		const sorted = runs.map(pick).sort((a, b) => a - b);
		return sorted[Math.floor(sorted.length / 2)]!;
	};
	return {
		firstPaintMs: mid((r) => r.firstPaintMs),
		menuUsableMs: mid((r) => r.menuUsableMs),
		bytes: mid((r) => r.bytes),
		requests: mid((r) => r.requests),
		apiRequests: runs[0]?.apiRequests ?? [],
	};
}
