import { fail, ok, type Failure, type Result } from "#contract/errors.ts";
import { sameSecret } from "#contract/secrets.ts";
import type { StaffRole } from "#contract/actor.ts";
import type { Lockout, SignInClient } from "#contract/sign-in.ts";
import { DisplayPairings } from "./pairing";
import { PinGuard } from "./pin-guard";
import { hashPin, type PinHashes } from "./pins";
import type { StoreRecord } from "./schema";

export interface SignedIn<Role extends string> {
	role: Role;
	pinVersion: number;
	storeId: string;
}

/**
 * How staff and displays get in: a PIN checked against the store's hashes, or a display's one-time pairing
 * code. Wrong ones count against the client (PinGuard): a client that keeps guessing waits, longer and
 * longer, without holding back anyone with a clean record; sessions already signed in are not affected.
 */
export class SignIn {
	#guard: PinGuard;
	#pairings: DisplayPairings;
	#load: () => StoreRecord | null;

	/** `load` reads the store as it is now: a PIN is compared after its hashing awaited. */
	constructor(sql: SqlStorage, load: () => StoreRecord | null) {
		this.#guard = new PinGuard(sql);
		this.#pairings = new DisplayPairings(sql);
		this.#load = load;
	}

	/** A staff PIN: the role it opens and the PIN version go into the staff session. */
	async staff(record: StoreRecord, pin: string, client: SignInClient): Promise<Result<SignedIn<StaffRole>>> {
		const checked = await this.#check(record, pin, client, (pins) => [
			["admin", pins.admin],
			["barista", pins.barista],
		]);
		if (checked.ok || checked.code !== "pin_invalid") return checked;
		return fail("pin_invalid", "That PIN is not right for this store.");
	}

	/** The display PIN, which signs the store's big screen in (and nothing else). */
	async display(record: StoreRecord, pin: string, client: SignInClient): Promise<Result<SignedIn<"display">>> {
		const checked = await this.#check(record, pin, client, (pins) => [["display", pins.display]]);
		if (checked.ok || checked.code !== "pin_invalid") return checked;
		const hasPin = this.#load()!.pins.display !== undefined;
		const noPin = "This store has no display PIN: pair the display from a barista's tablet.";
		return fail("pin_invalid", hasPin ? "That is not this store's display PIN." : noPin);
	}

	/** The role of the first candidate whose PIN this is; a wrong PIN is `pin_invalid`, for the caller to word. */
	async #check<Role extends string>(
		record: StoreRecord,
		pin: string,
		client: SignInClient,
		candidates: (pins: PinHashes) => [Role, string | undefined][],
	): Promise<Result<SignedIn<Role>>> {
		const locked = this.#guard.lockedUntil(client, Date.now());
		if (locked) return pinLocked(locked);
		const hash = await hashPin(pin, record.pins.salt);
		// The hashing awaited: compare with the PINs as they are now.
		const { pins, storeId } = this.#load()!;
		const now = Date.now();
		const role = candidates(pins).find(([, stored]) => stored !== undefined && sameSecret(hash, stored))?.[0];
		if (role) {
			this.#guard.succeeded(client, now);
			return ok({ role, pinVersion: pins.version, storeId });
		}
		const lockedUntil = this.#guard.failed(client, now);
		return lockedUntil ? pinLocked(lockedUntil) : fail("pin_invalid", "That PIN is not right.");
	}

	/** A one-time code a barista gives a display to sign in with, valid for a few minutes. */
	pair(now: number): { code: string; expiresAt: string } {
		const { code, expiresAt } = this.#pairings.issue(now);
		return { code, expiresAt: new Date(expiresAt).toISOString() };
	}

	/** Signs a display in with a pairing code; a wrong code counts against the client like a wrong PIN. */
	redeem(
		record: StoreRecord,
		code: string,
		client: SignInClient,
		now: number,
	): Result<{ pinVersion: number; storeId: string }> {
		// Checked before any lock: a code is too long to guess, and pairing is how a screen gets in during an attack.
		if (this.#pairings.redeem(code, now)) {
			this.#guard.succeeded(client, now);
			return ok({ pinVersion: record.pins.version, storeId: record.storeId });
		}
		const lockedUntil = this.#guard.lockedUntil(client, now) ?? this.#guard.failed(client, now);
		if (lockedUntil) return pinLocked(lockedUntil);
		const message = "That pairing code is not valid: it may have expired or been used. Ask a barista for a new one.";
		return fail("pairing_code_invalid", message);
	}

	lockouts(now: number): Lockout[] {
		return this.#guard.lockouts(now);
	}

	clear(now: number): number {
		return this.#guard.clear(now);
	}

	prune(now: number): void {
		this.#guard.prune(now);
	}
}

function pinLocked(until: number): Failure {
	const seconds = Math.ceil((until - Date.now()) / 1000);
	return fail("pin_locked", `Too many wrong PINs: sign-in is paused for ${seconds} s.`, { retryAfterSeconds: seconds });
}
