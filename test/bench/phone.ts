import { launchChromium } from "../e2e/browser";
import { median, openOnSlow3g, phoneBudget, slow3g, type PhoneLoad } from "../e2e/slow-3g";
import { demoStore } from "../../scripts/demo-store.mjs";
import { startWorkerd } from "./workerd";

/**
 * The browser row of `npm run bench`: an attendee's phone opening the display's QR code on slow 3G
 * (test/e2e/slow-3g.ts), three cold runs, median held against the budget. Like the bench's other rows it talks
 * to workerd directly (test/bench/workerd.ts), here with the built front end as its assets in front of the
 * Worker, as Cloudflare serves them: `wrangler dev`'s Node proxy would add its own delay to every file. Build
 * the front end first (`npm run web:build`; `npm run bench` does).
 */

export interface PhoneRow extends PhoneLoad {
	network: typeof slow3g;
	runs: PhoneLoad[];
	budget: typeof phoneBudget;
	withinBudget: boolean;
}

const coldRuns = 3;

export async function benchPhone(log: (message: string) => void, stateIn?: string): Promise<PhoneRow> {
	const system = await startWorkerd({ meter: false, assets: true, stateIn });
	const chrome = await launchChromium();
	try {
		const call = async <T>(path: string, body: unknown, token: string | null = system.adminToken): Promise<T> => {
			const response = await fetch(`${system.url}${path}`, {
				method: body === undefined ? "GET" : "POST",
				headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), "content-type": "application/json" },
				body: body === undefined ? undefined : JSON.stringify(body),
			});
			if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
			return (await response.json()) as T;
		};
		// The demo store's menu, with a code that lasts through the runs.
		await call("/api/stores", {
			...demoStore,
			settings: { ...demoStore.settings, codeWindowSeconds: 3_600, drinksPerCode: 100 },
		});
		const barista = (
			await call<{ token: string }>(
				`/api/stores/${demoStore.id}/staff/session`,
				{ pin: demoStore.pins.barista, name: "Bench" },
				null,
			)
		).token;
		const { url } = await call<{ url: string }>(`/api/stores/${demoStore.id}/qr`, undefined, barista);
		// One warm-up load, not counted: workerd compiles and starts the Durable Objects on first use.
		await openOnSlow3g(chrome.browser, url);
		const runs: PhoneLoad[] = [];
		for (let i = 0; i < coldRuns; i++) {
			log(`browser: slow-3G phone, cold run ${i + 1} of ${coldRuns}`);
			runs.push(await openOnSlow3g(chrome.browser, url));
		}
		const figure = median(runs);
		const withinBudget =
			figure.firstPaintMs <= phoneBudget.firstPaintMs && figure.menuUsableMs <= phoneBudget.menuUsableMs;
		return { ...figure, network: slow3g, runs, budget: phoneBudget, withinBudget };
	} finally {
		await chrome.close();
		await system.stop();
	}
}
