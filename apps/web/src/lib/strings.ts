import { createSubscriber } from "svelte/reactivity";
import en, { type Attendee } from "./i18n/en.ts";
import { matchLanguage, type Language } from "./i18n/languages.ts";
import type { Staff } from "./i18n/staff.ts";

/**
 * The words on screen, in the language chosen for this page. The attendee's English ships with every page;
 * another language is a chunk of its own, loaded only by a page that shows it, and its sections replace
 * English's. The staff screens' words (English only) are a chunk too, which every screen but the attendee's
 * loads before it renders (routes/+layout.ts): the phone never downloads them.
 */

export type Strings = Attendee & Staff;

const translations: Record<Exclude<Language, "en">, () => Promise<{ default: Attendee }>> = {
	pt: () => import("./i18n/pt.ts"),
	es: () => import("./i18n/es.ts"),
	fr: () => import("./i18n/fr.ts"),
	de: () => import("./i18n/de.ts"),
	ja: () => import("./i18n/ja.ts"),
};

let current: { lang: Language; strings: Attendee } = { lang: "en", strings: en };
let staff: Staff | null = null;
let changed = (): void => {};
const track = createSubscriber((update) => {
	changed = update;
	return () => (changed = () => {});
});

/** The catalog in the chosen language; reading it in a component or `$derived` follows a change of language. */
export const t = new Proxy(en, {
	get(_, section: string) {
		track();
		if (section in current.strings) return current.strings[section as keyof Attendee];
		if (staff && section in staff) return staff[section as keyof Staff];
		throw new Error(`t.${section}: not an attendee's word, and the staff words are not loaded (routes/+layout.ts)`);
	},
}) as Strings;

/** The language `t` speaks, for `<html lang>` and Intl. */
export function language(): Language {
	track();
	return current.lang;
}

/** The staff screens' words, from now on. */
export async function loadStaffWords(): Promise<void> {
	staff ??= (await import("./i18n/staff.ts")).default;
	changed();
}

/** The attendee's words in one language, loading them if needed. */
async function stringsIn(lang: Language): Promise<Attendee> {
	return lang === "en" ? en : { ...en, ...(await translations[lang]()).default };
}

/** Shows the page in `lang` from now on (once its words have arrived). */
export async function useLanguage(lang: Language): Promise<void> {
	const strings = await stringsIn(lang);
	current = { lang, strings };
	changed();
}

const choiceKey = "edgepresso.language";

/** The attendee's language: the one they picked on the switch, or else the first of the browser's we speak. */
export function phoneLanguage(): Language {
	let picked: string | null = null;
	try {
		picked = localStorage.getItem(choiceKey);
	} catch {
		// Storage can be off (private modes): the browser's languages still choose.
	}
	return matchLanguage(picked ? [picked] : []) ?? matchLanguage(navigator.languages) ?? "en";
}

/** The attendee picked a language on the switch: show it, and keep it for their next visit. */
export async function pickLanguage(lang: Language): Promise<void> {
	try {
		localStorage.setItem(choiceKey, lang);
	} catch {
		// Not kept across visits, but shown now.
	}
	await useLanguage(lang);
}
