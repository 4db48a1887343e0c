/**
 * Input patterns the API's schemas and the forms' `pattern` attributes share, so a field refuses in the browser
 * exactly what the server would. No zod here: the web app imports this file. Browsers read `pattern` with the
 * `v` flag, hence the escaped `-`.
 */

/** Ids of stores, drinks, option groups and choices: short, lower-case, URL-safe. */
export const slugPattern = "[a-z0-9][a-z0-9_\\-]{0,39}";

/** A PIN: 4–12 digits. */
export const pinPattern = "[0-9]{4,12}";
