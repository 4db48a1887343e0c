import { ApiRefusal, read, type ApiClient } from "#client/api.ts";
import type { ClientRequestOptions } from "hono/client";

/**
 * Sessions kept in localStorage, so a reload, a phone going to sleep or a display restarting keeps them.
 * Attendees have one anonymous session; staff have one per store, and so do displays (a display and a
 * barista tablet can be signed in to different stores from the same browser). Every session travels as a
 * bearer token (or a socket's subprotocol), never as a cookie: an http address on the venue's network keeps
 * no Secure cookie, and nothing here needs one.
 */

export interface AttendeeSession {
	token: string;
	userId: string;
	name: string | null;
	expiresAt: string;
}

export interface StaffSession {
	token: string;
	role: "barista" | "admin";
	storeId: string;
	/** The `baristaId` of the orders this session claims (absent in sessions kept from before it was sent). */
	staffId?: string;
	expiresAt: string;
}

export interface DisplaySession {
	token: string;
	role: "display";
	storeId: string;
	displayId: string;
	expiresAt: string;
}

const attendeeKey = "edgepresso.attendee";
const staffKey = (storeId: string) => `edgepresso.staff.${storeId}`;
const displayKey = (storeId: string) => `edgepresso.display.${storeId}`;
const deviceKey = "edgepresso.device";
/** Renew an attendee session this long before it expires, so it never lapses mid-order. */
const renewBeforeMs = 7 * 86_400_000;

function load<T extends { expiresAt: string }>(key: string, marginMs = 0): T | null {
	try {
		const raw = localStorage.getItem(key);
		const session = raw ? (JSON.parse(raw) as T) : null;
		return session && Date.parse(session.expiresAt) - marginMs > Date.now() ? session : null;
	} catch {
		return null;
	}
}

function save(key: string, session: object): void {
	try {
		localStorage.setItem(key, JSON.stringify(session));
	} catch {
		// Private browsing with storage disabled: the session lives as long as the page.
	}
}

let attendee: AttendeeSession | null = null;

export function attendeeToken(): string | null {
	attendee ??= load<AttendeeSession>(attendeeKey);
	return attendee?.token ?? null;
}

/** Runs the order page's challenge (Turnstile) and resolves with the widget's token. */
export type Challenge = () => Promise<string>;

const challengeAsked = (caught: unknown) => caught instanceof ApiRefusal && caught.code === "challenge_required";

/** Options for each request, made afresh (a person may take a while over a challenge). */
type Options = () => ClientRequestOptions;

/**
 * The attendee's session, created (or renewed, keeping the same attendee id) when needed; when the API asks
 * for a passed challenge first (Turnstile is on), `challenge` gets one.
 */
export async function ensureAttendee(
	api: ApiClient,
	options: Options,
	challenge?: Challenge,
): Promise<AttendeeSession> {
	const current = load<AttendeeSession>(attendeeKey, renewBeforeMs);
	if (current) return (attendee = current);
	try {
		return await renewAttendee(api, options);
	} catch (caught) {
		if (!challenge || !challengeAsked(caught)) throw caught;
		return renewAttendee(api, options, await challenge());
	}
}

/** Sent with the old token, if any, so the server renews it under the same attendee id (and keeps a passed challenge). */
async function renewAttendee(api: ApiClient, options: Options, turnstile?: string): Promise<AttendeeSession> {
	const renewed = await read(api.api.session.$post({ json: turnstile ? { turnstile } : {} }, options()));
	keepAttendee(renewed);
	return renewed;
}

/**
 * `call` as the attendee; if the API answers that this session has not passed the challenge (one minted
 * before Turnstile was turned on), passes it, renews the session and calls again.
 */
export async function withChallenge<T>(
	api: ApiClient,
	call: () => Promise<T>,
	options: Options,
	challenge?: Challenge,
): Promise<T> {
	try {
		return await call();
	} catch (caught) {
		if (!challenge || !challengeAsked(caught)) throw caught;
		await renewAttendee(api, options, await challenge());
		return call();
	}
}

/** Keeps a session the API started on its own (a first scan from a phone without one). */
export function keepAttendee(session: AttendeeSession): void {
	save(attendeeKey, session);
	attendee = session;
}

/** Forgets a session the server no longer accepts. */
export function dropAttendee(): void {
	attendee = null;
	localStorage.removeItem(attendeeKey);
}

export function staffSession(storeId: string): StaffSession | null {
	return load<StaffSession>(staffKey(storeId));
}

export async function signInStaff(
	api: ApiClient,
	storeId: string,
	pin: string,
	name: string,
	options?: ClientRequestOptions,
): Promise<StaffSession> {
	const json = { pin, name, device: deviceId() };
	const session = await read(
		api.api.stores[":store"].staff.session.$post({ param: { store: storeId }, json }, options),
	);
	save(staffKey(storeId), session);
	return session;
}

export function signOutStaff(storeId: string): void {
	localStorage.removeItem(staffKey(storeId));
}

export function displaySession(storeId: string): DisplaySession | null {
	return load<DisplaySession>(displayKey(storeId));
}

/** Signs this screen in as the store's display: with a pairing code from a barista's tablet, or the display PIN. */
export async function signInDisplay(
	api: ApiClient,
	storeId: string,
	proof: { code: string } | { pin: string },
	options?: ClientRequestOptions,
): Promise<DisplaySession> {
	const session = await read(
		api.api.stores[":store"].display.session.$post(
			{ param: { store: storeId }, json: { ...proof, device: deviceId() } },
			options,
		),
	);
	save(displayKey(storeId), session);
	return session;
}

export function signOutDisplay(storeId: string): void {
	localStorage.removeItem(displayKey(storeId));
}

/**
 * The id this device keeps for sign-ins, so that wrong PINs count against it (and a device that signed in
 * before is not held back by someone else's). Made with getRandomValues, which plain-http pages also have.
 */
export function deviceId(): string {
	const fresh = () =>
		Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, "0")).join("");
	try {
		const kept = localStorage.getItem(deviceKey);
		if (kept) return kept;
		const id = fresh();
		localStorage.setItem(deviceKey, id);
		return id;
	} catch {
		// Storage disabled: a new id each time, which only means this device starts without a record.
		return fresh();
	}
}
