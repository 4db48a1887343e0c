import { createSubscriber } from "svelte/reactivity";
import en, { type Attendee, type Strings } from "./i18n/en.ts";
import { matchLanguage, type Language } from "./i18n/languages.ts";

/**
 * The words on screen, in the language chosen for this page. English ships with every page; another language
 * is a chunk of its own, loaded only by a page that shows it, and its sections replace English's. Staff
 * screens never choose one and stay in English.
 */

export type { Strings };

const translations: Record<Exclude<Language, "en">, () => Promise<{ default: Attendee }>> = {
	pt: () => import("./i18n/pt.ts"),
	es: () => import("./i18n/es.ts"),
	fr: () => import("./i18n/fr.ts"),
	de: () => import("./i18n/de.ts"),
	ja: () => import("./i18n/ja.ts"),
};

let current: { lang: Language; strings: Strings } = { lang: "en", strings: en };
let changed = (): void => {};
const track = createSubscriber((update) => {
	changed = update;
	return () => (changed = () => {});
});

/** The catalog in the chosen language; reading it in a component or `$derived` follows a change of language. */
export const t: Strings = new Proxy(en, {
	get(_, section: keyof Strings) {
		track();
		return current.strings[section];
	},
});

/** The language `t` speaks, for `<html lang>` and Intl. */
export function language(): Language {
	track();
	return current.lang;
}

/** The catalog of one language, loading it if needed. */
export async function stringsIn(lang: Language): Promise<Strings> {
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
