/** Vite's `?raw` imports: a file's text (used to check that generated docs are current). */
declare module "*?raw" {
	const text: string;
	export default text;
}
