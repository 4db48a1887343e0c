/**
 * One-time codes that pair a display: a barista's tablet asks for one, the big screen types it in within a
 * few minutes, and it is gone. A code is 8 characters of Crockford's base32 (no I, L, O or U to misread):
 * 40 random bits, far too many to guess in its minutes, so a valid code works even while PIN sign-in is
 * locked (the way back in for a screen during an attack).
 */

export const pairingValidMs = 5 * 60_000;
/** Codes a store holds at once; asking for more retires the oldest. */
const maxOutstanding = 20;
const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** What a person typed, as the code it means: case and the dash do not matter, O reads as 0, I and L as 1. */
export function normalizePairingCode(typed: string): string {
	return typed.toUpperCase().replace(/[\s-]/g, "").replaceAll("O", "0").replace(/[IL]/g, "1");
}

export class DisplayPairings {
	#sql: SqlStorage;

	constructor(sql: SqlStorage) {
		this.#sql = sql;
	}

	/** A new code, shown as `ABCD-2345`, and when it stops working. */
	issue(now: number): { code: string; expiresAt: number } {
		this.#sql.exec(`DELETE FROM display_pairings WHERE expires_at <= ?`, now);
		this.#sql.exec(
			`DELETE FROM display_pairings WHERE code NOT IN (SELECT code FROM display_pairings ORDER BY expires_at DESC LIMIT ?)`,
			maxOutstanding - 1,
		);
		const code = Array.from(crypto.getRandomValues(new Uint8Array(8)), (byte) => alphabet[byte % 32]).join("");
		const expiresAt = now + pairingValidMs;
		this.#sql.exec(`INSERT INTO display_pairings (code, expires_at) VALUES (?, ?)`, code, expiresAt);
		return { code: `${code.slice(0, 4)}-${code.slice(4)}`, expiresAt };
	}

	/** Uses up the code if it is valid now; false if it never was, was used, or expired. */
	redeem(typed: string, now: number): boolean {
		const code = normalizePairingCode(typed);
		return (
			this.#sql
				.exec(`DELETE FROM display_pairings WHERE code = ? AND expires_at > ? RETURNING code`, code, now)
				.toArray().length > 0
		);
	}
}
