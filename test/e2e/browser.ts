import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { AxeResults } from "axe-core";
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from "playwright-core";

/** A host name Chromium resolves to this machine without treating it as localhost (see `launchChromium`). */
export const lanHost = "coffee-bar.lan";

/** Debian's Chromium, driven by playwright-core (which cannot download browsers here). */
export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Screenshots of every screen, at phone, tablet and TV sizes, for people to look at (gitignored). */
export const screenshotDir = path.resolve(import.meta.dirname, "../../test-results/screens");

export const viewports = {
	phone: { width: 360, height: 740 },
	tablet: { width: 1024, height: 768 },
	tv: { width: 1920, height: 1080 },
} as const;

export interface Chromium {
	browser: Browser;
	/**
	 * A context of its own (cookies, storage, service workers) per role, as separate devices would be; `locale`
	 * is the device's language (its `navigator.languages`), British English unless told.
	 */
	context(viewport: keyof typeof viewports, locale?: string): Promise<BrowserContext>;
	/** What the Content-Security-Policy blocked on any page so far, as Chromium reported it: should stay empty. */
	cspViolations: string[];
	close(): Promise<void>;
}

/** Each launch runs on a fresh temporary profile that playwright makes and removes. */
export async function launchChromium(): Promise<Chromium> {
	const browser = await chromium.launch({
		executablePath: chromiumPath,
		args: [
			"--headless",
			"--no-sandbox",
			"--disable-gpu",
			"--no-first-run",
			"--disable-background-networking",
			"--disable-component-update",
			"--disable-sync",
			// A name for this machine that is not localhost: a plain-http origin as on a venue's network.
			`--host-resolver-rules=MAP ${lanHost} 127.0.0.1`,
		],
	});
	mkdirSync(screenshotDir, { recursive: true });
	const cspViolations: string[] = [];
	return {
		browser,
		context: async (viewport, locale = "en-GB") => {
			const context = await browser.newContext({
				viewport: viewports[viewport],
				deviceScaleFactor: 1,
				isMobile: viewport === "phone",
				hasTouch: viewport !== "tv",
				locale,
			});
			// Waits on what a page shows have no deadline of their own: the suite's test timeout is the hang detector.
			context.setDefaultTimeout(60_000);
			context.on("console", (message) => {
				if (/Content Security Policy/i.test(message.text()))
					cspViolations.push(`${message.location().url}: ${message.text()}`);
			});
			return context;
		},
		cspViolations,
		close: () => browser.close(),
	};
}

/** What a person sees: the top of the page and, for a page taller than the screen, its end (`-end`). */
export async function screenshot(page: Page, name: string): Promise<void> {
	await page.evaluate(() => window.scrollTo(0, 0));
	await page.screenshot({ path: path.join(screenshotDir, `${name}.png`) });
	const taller = await page.evaluate(() => document.documentElement.scrollHeight > window.innerHeight + 1);
	if (!taller) return;
	await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
	await page.screenshot({ path: path.join(screenshotDir, `${name}-end.png`) });
	await page.evaluate(() => window.scrollTo(0, 0));
}

/**
 * What the QR code on screen says, read the way a phone camera would: a screenshot of the rendered code,
 * decoded by zbar. Never taken from the API.
 */
export async function readQrCode(code: Locator, name: string): Promise<string> {
	const file = path.join(screenshotDir, `${name}.png`);
	await code.screenshot({ path: file });
	// zbar's stderr is only its complaints about a missing D-Bus; a failed decode still throws, with them.
	return execFileSync("zbarimg", ["--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", file], {
		encoding: "utf8",
		stdio: ["ignore", "pipe", "pipe"],
	}).trim();
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** What axe-core (the WCAG rule engine) finds wrong with the page as it is now, one line per rule broken. */
export async function accessibilityProblems(page: Page): Promise<string[]> {
	// Evaluated through DevTools, not added as an inline <script>: the pages' Content-Security-Policy refuses those.
	await page.evaluate(axeSource);
	const results = await page.evaluate(() => (window as unknown as { axe: { run(): Promise<AxeResults> } }).axe.run());
	return results.violations.map(
		(v) => `${v.impact}: ${v.id} — ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`,
	);
}
