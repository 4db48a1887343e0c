import { browser } from "$app/env";
import { loadStaffWords, phoneLanguage, useLanguage } from "#lib/strings.ts";
import type { LayoutLoad } from "./$types";

// Every screen renders in the browser from the API and the live sockets; the server only ships files.
export const ssr = false;
export const prerender = true;

/**
 * The phone speaks its attendee's language from the first frame. Every other screen has staff words on it (a
 * sign-in, the landing page's links), in English, loaded before it renders; the journey is the attendee's.
 */
export const load: LayoutLoad = async ({ url }) => {
	if (!browser) return;
	if (url.pathname.startsWith("/order") || url.pathname.startsWith("/event")) await useLanguage(phoneLanguage());
	else if (!url.pathname.startsWith("/journey")) await loadStaffWords();
};
