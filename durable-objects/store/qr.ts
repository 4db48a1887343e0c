/**
 * QR windows: each window has one unguessable code that admits `tokensTotal` drinks until it expires.
 * A new window (and code) starts when the current one has ended and somebody asks for the code.
 */
export interface CodeWindow {
	code: string;
	startsAt: number;
	expiresAt: number;
	tokensTotal: number;
	tokensLeft: number;
}

/** 16 random bytes (128 bits), base64url without padding: 22 characters. */
export function newCode(): string {
	const bytes = crypto.getRandomValues(new Uint8Array(16));
	return btoa(String.fromCharCode(...bytes))
		.replaceAll("+", "-")
		.replaceAll("/", "_")
		.replace(/=+$/, "");
}

export const codeShape = /^[A-Za-z0-9_-]{22}$/;

/** Codes and who redeemed them, in the store's SQLite. Every method is synchronous, so a read-check-write is atomic. */
export class CodeBook {
	#sql: SqlStorage;

	constructor(sql: SqlStorage) {
		this.#sql = sql;
	}

	/** The window running at `now`, opening a new one if the last has ended (and telling `onOpen`). */
	current(now: number, windowSeconds: number, tokens: number, onOpen?: (window: CodeWindow) => void): CodeWindow {
		const latest = this.#rows(`SELECT * FROM codes ORDER BY expires_at DESC LIMIT 1`)[0];
		if (latest && latest.expiresAt > now) return latest;
		const window: CodeWindow = {
			code: newCode(),
			startsAt: now,
			expiresAt: now + windowSeconds * 1000,
			tokensTotal: tokens,
			tokensLeft: tokens,
		};
		this.#sql.exec(
			`INSERT INTO codes (code, starts_at, expires_at, tokens_total, tokens_left) VALUES (?, ?, ?, ?, ?)`,
			window.code,
			window.startsAt,
			window.expiresAt,
			window.tokensTotal,
			window.tokensLeft,
		);
		onOpen?.(window);
		return window;
	}

	/** Ends the running window now, so the next request opens a fresh code (used when settings change). */
	endCurrent(now: number): void {
		this.#sql.exec(`UPDATE codes SET expires_at = ? WHERE expires_at > ?`, now, now);
	}

	find(code: string): CodeWindow | undefined {
		return this.#rows(`SELECT * FROM codes WHERE code = ?`, code)[0];
	}

	redemption(code: string, userId: string): string | null {
		const row = this.#sql
			.exec<{ order_id: string }>(`SELECT order_id FROM redemptions WHERE code = ? AND user_id = ?`, code, userId)
			.toArray()[0];
		return row?.order_id ?? null;
	}

	/** Drinks a network has taken from a code (counted only while the store has a per-network budget). */
	takenBy(code: string, network: string): number {
		return (
			this.#sql
				.exec<{ count: number }>(`SELECT count FROM network_redemptions WHERE code = ? AND network = ?`, code, network)
				.toArray()[0]?.count ?? 0
		);
	}

	countFor(code: string, network: string): void {
		this.#sql.exec(
			`INSERT INTO network_redemptions (code, network, count) VALUES (?, ?, 1) ON CONFLICT (code, network) DO UPDATE SET count = count + 1`,
			code,
			network,
		);
	}

	/**
	 * Gives the token an order redeemed back to its code, if the code's window is still running at `now` (a
	 * token of an ended window is gone with it). Once per order; returns the window the token went back to.
	 */
	giveBack(orderId: string, now: number): CodeWindow | null {
		const code = this.#sql
			.exec<{ code: string }>(
				`UPDATE redemptions SET returned = 1
				 WHERE order_id = ? AND returned = 0 AND code IN (SELECT code FROM codes WHERE expires_at > ?) RETURNING code`,
				orderId,
				now,
			)
			.toArray()[0]?.code;
		if (code === undefined) return null;
		this.#sql.exec(`UPDATE codes SET tokens_left = tokens_left + 1 WHERE code = ?`, code);
		return this.find(code) ?? null;
	}

	redeem(code: string, userId: string, orderId: string): number {
		this.#sql.exec(`INSERT INTO redemptions (code, user_id, order_id) VALUES (?, ?, ?)`, code, userId, orderId);
		return this.#sql
			.exec<{ tokens_left: number }>(
				`UPDATE codes SET tokens_left = tokens_left - 1 WHERE code = ? AND tokens_left > 0 RETURNING tokens_left`,
				code,
			)
			.one().tokens_left;
	}

	/** Forgets codes (and their redemptions) that ended before `before`. */
	prune(before: number): void {
		this.#sql.exec(`DELETE FROM redemptions WHERE code IN (SELECT code FROM codes WHERE expires_at < ?)`, before);
		this.#sql.exec(
			`DELETE FROM network_redemptions WHERE code IN (SELECT code FROM codes WHERE expires_at < ?)`,
			before,
		);
		this.#sql.exec(`DELETE FROM codes WHERE expires_at < ?`, before);
	}

	#rows(query: string, ...bindings: unknown[]): CodeWindow[] {
		return this.#sql
			.exec<{ code: string; starts_at: number; expires_at: number; tokens_total: number; tokens_left: number }>(
				query,
				...bindings,
			)
			.toArray()
			.map((row) => ({
				code: row.code,
				startsAt: row.starts_at,
				expiresAt: row.expires_at,
				tokensTotal: row.tokens_total,
				tokensLeft: row.tokens_left,
			}));
	}
}
