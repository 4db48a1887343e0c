import type { LockScope, Lockout, SignInClient } from "#contract/sign-in.ts";

/**
 * Wrong PINs (and pairing codes), counted per client so that one person guessing or griefing cannot lock a
 * store's staff out. A client is its device (an id the sign-in screens keep in localStorage) and its network
 * (IPv4 address, IPv6 /64). Each has its own count; a slower store-wide count is the backstop against guesses
 * spread over many networks. A device that has signed in here before has a clean record: only its own count
 * can hold it back, never the network's or the store's. Counts fade after a quiet hour, and an admin can
 * clear them.
 */

/** Failures each scope allows before it locks: a device's owner mistypes, a network is shared by a venue. */
const allowed: Record<LockScope, number> = { device: 5, network: 10, store: 50 };
/** The first lock lasts this long, doubling with every further failure up to `maxLockMs`. */
const firstLockMs = 30_000;
const maxLockMs = 15 * 60_000;
/** A count with no failure for this long starts again from zero. */
const quietMs = 60 * 60_000;
/** Devices that signed in are remembered this long after their last sign-in. */
const rememberDevicesMs = 90 * 86_400_000;

type FailureRow = {
	key: string;
	failures: number;
	locked_until: number;
	last_at: number;
};

const scopeOf = (key: string): LockScope => key.slice(0, key.indexOf(":")) as LockScope;

export class PinGuard {
	#sql: SqlStorage;

	constructor(sql: SqlStorage) {
		this.#sql = sql;
	}

	/** Until when this client must wait before its next attempt, or null if it may try now. */
	lockedUntil(client: SignInClient, now: number): number | null {
		const until = Math.max(
			0,
			...this.#keys(client, this.#known(client)).map((key) => this.#row(key, now).locked_until),
		);
		return until > now ? until : null;
	}

	/** Counts a failure against the client's device, network and the store; returns until when it is now locked, if it is. */
	failed(client: SignInClient, now: number): number | null {
		for (const key of this.#keys(client, false)) {
			const failures = this.#row(key, now).failures + 1;
			const over = failures - allowed[scopeOf(key)];
			const lockedUntil = over >= 0 ? now + Math.min(maxLockMs, firstLockMs * 2 ** over) : 0;
			this.#sql.exec(
				`INSERT INTO pin_failures (key, failures, locked_until, last_at) VALUES (?, ?, ?, ?)
				 ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until, last_at = excluded.last_at`,
				key,
				failures,
				lockedUntil,
				now,
			);
		}
		return this.lockedUntil(client, now);
	}

	/** A right PIN: the device's own count starts again, and the device has a clean record from now on. */
	succeeded(client: SignInClient, now: number): void {
		if (!client.device) return;
		this.#sql.exec(`DELETE FROM pin_failures WHERE key = ?`, `device:${client.device}`);
		this.#sql.exec(
			`INSERT INTO pin_devices (device, signed_in_at) VALUES (?, ?) ON CONFLICT (device) DO UPDATE SET signed_in_at = excluded.signed_in_at`,
			client.device,
			now,
		);
	}

	/** Every lock in force now. */
	lockouts(now: number): Lockout[] {
		return this.#sql
			.exec<FailureRow>(`SELECT * FROM pin_failures WHERE locked_until > ? ORDER BY locked_until DESC`, now)
			.toArray()
			.map((row) => {
				const scope = scopeOf(row.key);
				const id = row.key.slice(scope.length + 1);
				return {
					scope,
					client: scope === "device" ? `${id.slice(0, 8)}…` : id,
					failures: row.failures,
					lockedUntil: new Date(row.locked_until).toISOString(),
				};
			});
	}

	/** Forgets every count (an admin's reset); returns how many locks were in force. */
	clear(now: number): number {
		const locked = this.lockouts(now).length;
		this.#sql.exec(`DELETE FROM pin_failures`);
		return locked;
	}

	prune(now: number): void {
		this.#sql.exec(`DELETE FROM pin_failures WHERE locked_until <= ? AND last_at < ?`, now, now - quietMs);
		this.#sql.exec(`DELETE FROM pin_devices WHERE signed_in_at < ?`, now - rememberDevicesMs);
	}

	/** The counts a client answers to: a device with a clean record answers only to its own. */
	#keys(client: SignInClient, known: boolean): string[] {
		const keys = client.device ? [`device:${client.device}`] : [];
		if (known) return keys;
		if (client.network) keys.push(`network:${client.network}`);
		keys.push("store:");
		return keys;
	}

	#known(client: SignInClient): boolean {
		if (!client.device) return false;
		return this.#sql.exec(`SELECT 1 FROM pin_devices WHERE device = ?`, client.device).toArray().length > 0;
	}

	#row(key: string, now: number): FailureRow {
		const row = this.#sql.exec<FailureRow>(`SELECT * FROM pin_failures WHERE key = ?`, key).toArray()[0];
		// A count that has been quiet for an hour, and holds no lock, starts again.
		if (!row || (row.locked_until <= now && now - row.last_at > quietMs))
			return { key, failures: 0, locked_until: 0, last_at: 0 };
		return row;
	}
}
