/** The languages attendees can read the phone, the display and push notices in. */
export const languages = ["en", "pt", "es", "fr", "de", "ja"] as const;
export type Language = (typeof languages)[number];

/** Each language in its own words, for the switch. */
export const languageNames: Record<Language, string> = {
	en: "English",
	pt: "Português",
	es: "Español",
	fr: "Français",
	de: "Deutsch",
	ja: "日本語",
};

export function isLanguage(value: unknown): value is Language {
	return (languages as readonly unknown[]).includes(value);
}

/** The first of a browser's preferred languages (BCP 47 tags, best first) that we speak, if any. */
export function matchLanguage(tags: readonly string[]): Language | null {
	for (const tag of tags) {
		const base = tag.toLowerCase().split("-")[0];
		if (isLanguage(base)) return base;
	}
	return null;
}
