import { apiClient, ApiRefusal } from "#client/api.ts";
import { apiOrigin, refusalText } from "#lib/api.ts";
import { signOutStaff, staffSession, type StaffSession } from "#lib/session.ts";

/**
 * Who is using the admin screen: the deployment's admin token (every store: list, create, edit), or a
 * store's admin PIN (that store only). The token is kept for this tab only (sessionStorage): it is the key to
 * every store, and closing the tab should put it away. A PIN session is an ordinary staff session.
 */
export type AdminAuth = { kind: "token"; token: string } | { kind: "pin"; storeId: string; session: StaffSession };

const tokenKey = "edgepresso.adminToken";

export function restoreAdmin(storeId: string | null): AdminAuth | null {
	const token = sessionStorage.getItem(tokenKey);
	if (token) return { kind: "token", token };
	const session = storeId ? staffSession(storeId) : null;
	return session?.role === "admin" ? { kind: "pin", storeId: session.storeId, session } : null;
}

export function keepAdminToken(token: string): AdminAuth {
	sessionStorage.setItem(tokenKey, token);
	return { kind: "token", token };
}

export function forgetAdmin(auth: AdminAuth): void {
	if (auth.kind === "token") sessionStorage.removeItem(tokenKey);
	else signOutStaff(auth.storeId);
}

export function adminApi(auth: AdminAuth) {
	return apiClient(apiOrigin, () => (auth.kind === "token" ? auth.token : auth.session.token));
}

export type AdminApi = ReturnType<typeof adminApi>;

/** What went wrong, in words; for a refused form, also the server's account of which field and why. */
export function problemText(error: unknown): string {
	const words = refusalText(error);
	return error instanceof ApiRefusal && error.code === "invalid_request" && error.message
		? `${words} ${error.message}`
		: words;
}
