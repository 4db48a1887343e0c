/** Numbers and times in a language's own conventions, through Intl, for the catalogs to build sentences with. */

/** The word forms a count takes, by CLDR plural category; `other` is always needed. */
export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

export function plural(locale: string, count: number, forms: PluralForms): string {
	return forms[new Intl.PluralRules(locale).select(count)] ?? forms.other;
}

/** m:ss, for countdowns (the same everywhere). */
export function clock(seconds: number): string {
	return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

/** Whole minutes from seconds, never fewer than one. */
export const wholeMinutes = (seconds: number): number => Math.max(1, Math.round(seconds / 60));

/** "in 3 minutes", "dans 3 minutes": a wait from now, in whole minutes. */
export function inMinutes(locale: string, seconds: number): string {
	return new Intl.RelativeTimeFormat(locale).format(wholeMinutes(seconds), "minute");
}

/**
 * The locale English times are written in: the browser's own when it is an English one (en-GB writes 17:05,
 * en-US 5:05 PM), else plain "en". The Worker, which has no browser language, gets "en".
 */
export function englishLocale(): string {
	const own = typeof navigator === "undefined" ? undefined : navigator.language;
	return own?.startsWith("en") ? own : "en";
}

/** Hours and minutes of an instant, for "since when". */
export function hoursMinutes(locale: string, ms: number): string {
	return new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit" }).format(ms);
}

/** Weekday and time of an ISO instant, for a list of past orders. */
export function weekdayTime(locale: string, iso: string): string {
	return new Intl.DateTimeFormat(locale, { weekday: "short", hour: "2-digit", minute: "2-digit" }).format(
		new Date(iso),
	);
}

/** The time between two steps of a journey: "+850 ms", "+1.2 s", "+3 min 5 s", with the language's decimal mark. */
export function stepGap(locale: string, ms: number): string {
	if (ms < 1000) return `+${new Intl.NumberFormat(locale).format(ms)} ms`;
	if (ms < 60_000)
		return `+${new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(ms / 1000)} s`;
	return `+${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** Hours, minutes and seconds of an ISO instant, for the steps of a journey. */
export function timeOfDay(locale: string, iso: string): string {
	return new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit", second: "2-digit" }).format(
		new Date(iso),
	);
}
