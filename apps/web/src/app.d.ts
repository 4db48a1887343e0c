/// <reference types="vite/client" />

interface ImportMetaEnv {
	/** Where the API runs, for a build served elsewhere (Pages); empty means the page's own origin. */
	readonly VITE_API_ORIGIN?: string;
}
