import { existsSync, readFileSync } from "node:fs";

/**
 * The deployment's admin token for the operator's tools: `--admin-token`, else `$ADMIN_TOKEN`, else the one
 * `npm run dev` generated into .dev.vars.
 */
export function adminToken(option: string | true | undefined): string | null {
	if (typeof option === "string") return option;
	if (process.env.ADMIN_TOKEN) return process.env.ADMIN_TOKEN;
	if (!existsSync(".dev.vars")) return null;
	return /^\s*ADMIN_TOKEN\s*=\s*"?([^"\n]+)"?/m.exec(readFileSync(".dev.vars", "utf8"))?.[1] ?? null;
}
