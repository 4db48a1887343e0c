/**
 * Cloudflare Turnstile on the order page, when the build has a site key (wrangler.toml's
 * TURNSTILE_SITE_KEY): the API asks a new attendee session for a passed challenge, and this runs the widget
 * for it. Most visitors never see it ("interaction-only": managed mode shows a checkbox only to a browser it
 * is unsure of). Without a site key nothing is loaded, and the page's CSP does not let Turnstile in.
 */

interface Turnstile {
	render(container: HTMLElement, options: Record<string, unknown>): string;
	remove(widget: string): void;
}

const siteKey = import.meta.env.VITE_TURNSTILE_SITE_KEY;
/** The widget's action; the Worker refuses a token solved for any other. */
const action = "session";

let loading: Promise<Turnstile> | null = null;

function load(): Promise<Turnstile> {
	loading ??= new Promise<Turnstile>((resolve, reject) => {
		const script = document.createElement("script");
		script.src = "https://challenges.cloudflare.com/turnstile/v0/api.js?render=explicit";
		script.async = true;
		script.onload = () => resolve((window as unknown as { turnstile: Turnstile }).turnstile);
		script.onerror = () => {
			loading = null;
			script.remove();
			reject(new TypeError("Turnstile could not be loaded."));
		};
		document.head.appendChild(script);
	});
	return loading;
}

/** A challenge runner for the session helpers, or undefined when this build has Turnstile off. */
export function challengeIn(container: () => HTMLElement | undefined): (() => Promise<string>) | undefined {
	if (!siteKey) return undefined;
	return async () => {
		const turnstile = await load();
		const box = container();
		if (!box) throw new TypeError("The page has no place for the check.");
		return new Promise<string>((resolve, reject) => {
			const widget = turnstile.render(box, {
				sitekey: siteKey,
				action,
				appearance: "interaction-only",
				callback: (token: string) => {
					turnstile.remove(widget);
					resolve(token);
				},
				"error-callback": (code: string) => {
					turnstile.remove(widget);
					reject(new TypeError(`Turnstile: ${code}`));
					return true;
				},
			});
		});
	};
}
