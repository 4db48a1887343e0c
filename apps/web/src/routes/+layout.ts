import { browser } from "$app/env";
import { phoneLanguage, useLanguage } from "#lib/strings.ts";
import type { LayoutLoad } from "./$types";

// Every screen renders in the browser from the API and the live sockets; the server only ships files.
export const ssr = false;
export const prerender = true;

/** The phone speaks its attendee's language from the first frame; staff screens stay in English. */
export const load: LayoutLoad = async ({ url }) => {
	if (browser && (url.pathname.startsWith("/order") || url.pathname.startsWith("/event")))
		await useLanguage(phoneLanguage());
};
