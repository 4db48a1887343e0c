/// <reference types="vite/client" />

interface ImportMetaEnv {
	/** Where the API runs, for a build served elsewhere (Pages); empty means the page's own origin. */
	readonly VITE_API_ORIGIN?: string;
	/** Turnstile's site key, from wrangler.toml's TURNSTILE_SITE_KEY (vite.config.ts); empty when Turnstile is off. */
	readonly VITE_TURNSTILE_SITE_KEY: string;
}

interface Window {
	/** The scan that app.html's start-up script sent for an /order?…&code=… address while the page's code loaded. */
	edgepressoScan?: Promise<Response>;
}
