/** Staff PINs are stored as PBKDF2-SHA-256 hashes with a per-store salt, never in the clear. */
const iterations = 50_000;

export interface PinHashes {
	salt: string;
	barista: string;
	admin: string;
	/** The display PIN (a store's big screen signs in with it), if the store has one. */
	display?: string;
	/** Bumped on every PIN change; staff sessions carry it, so a change signs everyone out. */
	version: number;
}

const encode = (bytes: ArrayBuffer | Uint8Array): string => btoa(String.fromCharCode(...new Uint8Array(bytes)));

export async function hashPin(pin: string, salt: string): Promise<string> {
	const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(pin), "PBKDF2", false, ["deriveBits"]);
	const bits = await crypto.subtle.deriveBits(
		{ name: "PBKDF2", hash: "SHA-256", salt: Uint8Array.from(atob(salt), (c) => c.charCodeAt(0)), iterations },
		key,
		256,
	);
	return encode(bits);
}

export function newSalt(): string {
	return encode(crypto.getRandomValues(new Uint8Array(16)));
}
