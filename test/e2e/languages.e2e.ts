import { readFileSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import de from "../../apps/web/src/lib/i18n/de";
import en, { attendeeSections, type Attendee } from "../../apps/web/src/lib/i18n/en";
import es from "../../apps/web/src/lib/i18n/es";
import fr from "../../apps/web/src/lib/i18n/fr";
import ja from "../../apps/web/src/lib/i18n/ja";
import { languages, type Language } from "../../apps/web/src/lib/i18n/languages";
import pt from "../../apps/web/src/lib/i18n/pt";
import { createEvent, type EdgeEvent } from "#contract/events.ts";
import type { EndReason, Order } from "#contract/order.ts";
import { noticeFor } from "../../workers/events/notices";
import { launchChromium, viewports, type Chromium } from "./browser";
import { loadedFiles, openDisplay, shots } from "./screens";
import { act, attendeeOrder, baristaSession, createStore, currentCode, orderOf, patchStore } from "./staff";

/**
 * Every attendee screen in every language: the phone through each state of an order, the display, and the
 * push notices. In each, no English is left over from the catalog, nothing runs off a 360 px phone, and no
 * text is cut off, in the longest language too. The order flow in Portuguese and Japanese is saved as
 * screenshots (lang-pt-*, lang-ja-*) for people to look at.
 */

const catalogs: Record<Language, Attendee> = { en, pt, es, fr, de, ja };
/** Each language as a phone in that country reports it. */
const locales: Record<Language, string> = {
	en: "en-US",
	pt: "pt-BR",
	es: "es-ES",
	fr: "fr-FR",
	de: "de-DE",
	ja: "ja-JP",
};

/** The catalog's fixed sentences and words, section by section (the sentences built from values are left out). */
function phrases(value: unknown): string[] {
	if (typeof value === "string") return [value];
	if (value && typeof value === "object") return Object.values(value).flatMap(phrases);
	return [];
}
const catalogPhrases = (lang: Language) => attendeeSections.flatMap((section) => phrases(catalogs[lang][section]));

/** English phrases that would show only if a string were not translated (some words are the same in both). */
function englishIn(lang: Language): string[] {
	if (lang === "en") return [];
	const own = new Set(catalogPhrases(lang));
	return catalogPhrases("en").filter((phrase) => !own.has(phrase));
}

/** The language with the most characters to fit: the one most likely to break a layout. */
const longest = languages.reduce((a, b) =>
	catalogPhrases(b).join("").length > catalogPhrases(a).join("").length ? b : a,
);

/** What a screen shows and reads out: its visible text and the names given to controls. */
const shownText = (page: Page) =>
	page.evaluate(() =>
		[
			document.body.innerText,
			...[...document.querySelectorAll("[aria-label]")].map((element) => element.getAttribute("aria-label") ?? ""),
		].join("\n"),
	);

/** Elements that run past the side of the screen, or whose text is cut off by their own box. */
function layoutProblems(page: Page): Promise<string[]> {
	return page.evaluate(() => {
		const width = document.documentElement.clientWidth;
		const problems: string[] = [];
		if (document.documentElement.scrollWidth > width)
			problems.push(`the page is ${document.documentElement.scrollWidth}px wide on a ${width}px screen`);
		const name = (element: Element) =>
			`${element.tagName.toLowerCase()}${element.className && typeof element.className === "string" ? `.${element.className.split(" ")[0]}` : ""} "${(element.textContent ?? "").trim().slice(0, 40)}"`;
		for (const element of document.body.querySelectorAll("*")) {
			if (element.closest(".visually-hidden, [popover], svg")) continue;
			const style = getComputedStyle(element);
			const box = element.getBoundingClientRect();
			if (style.display === "none" || style.visibility === "hidden" || box.width === 0 || box.height === 0) continue;
			if (box.right > width + 1 || box.left < -1)
				problems.push(`${name(element)} spans ${Math.round(box.left)}–${Math.round(box.right)}px`);
			if (["hidden", "clip"].includes(style.overflowX) && element.scrollWidth > element.clientWidth + 1)
				problems.push(`${name(element)} cuts off its text`);
		}
		return problems;
	});
}

/** The words and code the display's panel pushes out of sight at its bottom (it fills the screen's height). */
const belowThePanel = (page: Page) =>
	page.evaluate(() => {
		const panel = document.querySelector(".panel")!.getBoundingClientRect();
		return [...document.querySelectorAll(".panel > :not(progress)")]
			.filter((part) => part.getBoundingClientRect().bottom > panel.bottom + 1)
			.map((part) => part.outerHTML.slice(0, 60));
	});

/** The pass over one screen: in its language, nothing left in English, nothing off the side or cut off. */
async function passes(page: Page, lang: Language, screen: string): Promise<void> {
	await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(lang);
	const text = await shownText(page);
	expect(
		englishIn(lang).filter((phrase) => text.includes(phrase)),
		`${screen} in ${lang}: untranslated`,
	).toEqual([]);
	expect(await layoutProblems(page), `${screen} in ${lang}: layout`).toEqual([]);
}

let chrome: Chromium;
let storeId: string;
/** A store whose attendees have five seconds to choose, for the timed-out screen. */
let hastyStoreId: string;
let barista: string;

beforeAll(async () => {
	chrome = await launchChromium();
	const roomy = { drinksPerCode: 100, capacity: 100, maxOrdersPerUserPerDay: 10 };
	storeId = await createStore(roomy);
	hastyStoreId = await createStore({ ...roomy, customerTimeoutSeconds: 5 });
	barista = await baristaSession(storeId, "Sam");
	// Tickets for the display: one being made, one ready and being called for.
	const making = await attendeeOrder(storeId, barista, { drink: "latte", name: "Ada" });
	await act(making.id, "claim", barista);
	const ready = await attendeeOrder(storeId, barista, { drink: "mocha", name: "Grace" });
	await act(ready.id, "claim", barista);
	await act(ready.id, "complete", barista);
	await act(ready.id, "remind", barista);
});

afterAll(async () => {
	await chrome?.close();
});

/** A phone set to `locale`, opening `url`. */
async function phone(locale: string, url: string): Promise<Page> {
	const page = await (await chrome.context("phone", locale)).newPage();
	await page.goto(url);
	return page;
}

const orderIdOf = (page: Page) => new URL(page.url()).searchParams.get("order")!;

describe(`every attendee screen in ${languages.length} languages (the longest: ${longest})`, () => {
	it.each(languages)("the phone in %s, through every state of an order", async (lang) => {
		const words = catalogs[lang];
		const saved = lang === "pt" || lang === "ja";
		const shot = async (page: Page, name: string) =>
			saved ? shots(page, `lang-${lang}-${name}`, ["phone"]) : undefined;
		const url = await currentCode(storeId, barista);
		// Opened first: its five seconds run out while the others are looked at.
		const hasty = await phone(
			locales[lang],
			await currentCode(hastyStoreId, await baristaSession(hastyStoreId, "Sam")),
		);

		const page = await phone(locales[lang], url);
		await page.getByRole("heading", { name: words.order.menuTitle }).waitFor();
		await page.getByLabel("Latte").check();
		await page.getByLabel(words.order.nameLabel).fill("Ada");
		await passes(page, lang, "menu");
		await shot(page, "menu");

		await page.getByRole("button", { name: words.order.submit("Latte") }).click();
		await page.getByRole("heading", { name: words.status.queuedHeadline }).waitFor();
		await page.getByText(words.status.position(1)).waitFor();
		await passes(page, lang, "queued");
		await shot(page, "queued");

		const orderId = orderIdOf(page);
		await act(orderId, "claim", barista);
		await page.getByRole("heading", { name: words.status.makingHeadline }).waitFor();
		await page.getByText(words.status.makingBy("Sam")).waitFor();
		await passes(page, lang, "making");
		await shot(page, "making");

		await act(orderId, "complete", barista);
		const { number } = await orderOf(orderId, barista);
		await page.getByRole("heading", { name: words.status.readyHeadline(number!) }).waitFor();
		await act(orderId, "remind", barista);
		await page.getByRole("alert").filter({ hasText: words.status.called }).waitFor();
		await passes(page, lang, "ready");
		await shot(page, "ready");

		// The same attendee scanning the same code again is turned away, in their language.
		const again = await page.context().newPage();
		await again.goto(url);
		await again.getByText(words.refusal.code_already_used).waitFor();
		await passes(again, lang, "refused scan");
		await shot(again, "refused");

		const changing = await phone(locales[lang], url);
		await changing.getByLabel("Espresso").check();
		await changing.getByRole("button", { name: words.order.submit("Espresso") }).click();
		await changing.getByRole("button", { name: words.order.cancel }).click();
		await changing.getByRole("dialog", { name: words.order.cancelConfirmTitle }).waitFor();
		await passes(changing, lang, "cancel dialog");
		await changing.getByRole("button", { name: words.order.cancelConfirm }).click();
		await changing.getByRole("heading", { name: words.status.cancelledHeadline }).waitFor();
		await changing.getByText(words.status.reason.customer).waitFor();
		await changing.getByText(words.order.history).click();
		await passes(changing, lang, "cancelled, with the history open");
		await shot(changing, "cancelled");

		await hasty.getByRole("heading", { name: words.status.timedOutHeadline }).waitFor();
		await passes(hasty, lang, "timed out");
		await Promise.all([page, hasty, changing].map((p) => p.context().close()));
	});

	it.each(languages)("the display in %s", async (lang) => {
		await patchStore(storeId, { displayLanguages: [lang] });
		const display = await openDisplay(chrome, storeId);
		await display.getByTestId("qr-code").waitFor();
		await display.getByText(catalogs[lang].display.scanToOrder).waitFor();
		await shots(display, `lang-${lang}-display`, ["tv", "tablet"]);
		for (const [size, viewport] of Object.entries({ TV: viewports.tv, tablet: viewports.tablet })) {
			await display.setViewportSize(viewport);
			await passes(display, lang, `display (${size})`);
			expect(await belowThePanel(display), `display (${size}) in ${lang}: below the code's panel`).toEqual([]);
		}
		await display.context().close();
	});

	it.each(languages)("push notices in %s", (lang) => {
		const order = {
			id: "o1",
			storeId,
			number: 12,
			name: "Ada",
			drink: { id: "latte", name: "Latte", options: {} },
		} as unknown as Order;
		const ended = (state: Order["state"], reason: EndReason | null) => ({ order: { ...order, state, reason } });
		const at = { storeId, orderId: order.id, time: Date.now() };
		const events: EdgeEvent[] = [
			createEvent("OrderManager.OrderCompleted", at, ended("READY", null)),
			createEvent("OrderManager.CustomerReminded", at, ended("READY", null)),
			...(["customer", "barista", "store_closed", "burst"] as const).map((reason) =>
				createEvent("OrderManager.OrderCancelled", at, ended("CANCELLED", reason)),
			),
			...(["customer_timeout", "barista_timeout"] as const).map((reason) =>
				createEvent("OrderProcessor.OrderTimeOut", at, ended("TIMED_OUT", reason)),
			),
		];
		for (const event of events) {
			const notice = noticeFor(event, lang)!;
			const text = `${notice.title}\n${notice.body}`;
			expect(
				englishIn(lang).filter((phrase) => text.includes(phrase)),
				`${event.type} ${notice.reason}`,
			).toEqual([]);
			if (lang !== "en") expect(notice.title).not.toBe(noticeFor(event, "en")!.title);
			// Japanese runs words together: a space there is a seam between sentence parts.
			if (lang === "ja") expect(notice.title.replace("Latte", "")).not.toMatch(/\s/);
		}
	});
});

describe("choosing the language", () => {
	it("follows the phone's languages, falls back to English, and keeps the attendee's pick from the switch", async () => {
		const url = await currentCode(storeId, barista);
		const italian = await phone("it-IT", url);
		await italian.getByRole("heading", { name: en.order.menuTitle }).waitFor();
		await italian.getByLabel(en.language.label).selectOption({ label: "日本語" });
		await italian.getByRole("heading", { name: ja.order.menuTitle }).waitFor();
		await italian.reload();
		await italian.getByRole("heading", { name: ja.order.menuTitle }).waitFor();
		await italian.context().close();
	});

	it("ships English with the page and only the language a phone shows as a chunk of its own", async () => {
		const build = path.resolve(import.meta.dirname, "../../apps/web/build");
		const markers = Object.fromEntries(languages.map((lang) => [lang, catalogs[lang].order.menuTitle])) as Record<
			Language,
			string
		>;
		const spoken = async (lang: Language) => {
			const page = await (await chrome.context("phone", locales[lang])).newPage();
			const loaded = loadedFiles(page);
			await page.goto(await currentCode(storeId, barista));
			await page.getByRole("heading", { name: markers[lang] }).waitFor();
			const code = [...new Set(loaded)]
				.filter((file) => file.endsWith(".js"))
				.map((file) => readFileSync(path.join(build, file), "utf8"))
				.join("\n");
			await page.context().close();
			return languages.filter((other) => code.includes(markers[other]));
		};
		expect(await spoken("en")).toEqual(["en"]);
		expect(await spoken("pt")).toEqual(["en", "pt"]);
	});

	it("alternates a display between the store's two languages", async () => {
		await patchStore(storeId, { displayLanguages: ["pt", "ja"] });
		const display = await openDisplay(chrome, storeId);
		const lang = () => display.evaluate(() => document.documentElement.lang);
		await expect.poll(lang).toBe("pt");
		await display.getByText(pt.display.scanToOrder).waitFor();
		await expect.poll(lang).toBe("ja");
		await display.getByText(ja.display.scanToOrder).waitFor();
		await expect.poll(lang).toBe("pt");
		await display.context().close();
	});
});
