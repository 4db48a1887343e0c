/** Sign-in locks as the API reports them (no zod here: the admin screen imports it). */

/** What a count of wrong PINs belongs to: one device, one network (IPv4 address, IPv6 /64), or the whole store. */
export type LockScope = "device" | "network" | "store";

export interface Lockout {
	scope: LockScope;
	/** The network's address, or the first characters of the device id; empty for the store-wide count. */
	client: string;
	failures: number;
	lockedUntil: string;
}

/** Who is signing in, as the Worker sees them: wrong PINs count against each (device id from the screen, network). */
export interface SignInClient {
	device: string | null;
	network: string | null;
}
