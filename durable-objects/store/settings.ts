import { isAdminOf, isStaffOf, type Actor } from "#contract/actor.ts";
import { fail, ok, type Failure, type Result } from "#contract/errors.ts";
import { createEvent, type EdgeEvent } from "#contract/events.ts";
import {
	baristaSettingsKeys,
	defaultMenu,
	Menu,
	Settings,
	type CreateStoreBody,
	type PatchStoreBody,
	type StoreView,
} from "#contract/store.ts";
import { sameSecret } from "#contract/secrets.ts";
import { applyAvailability } from "./availability";
import { hashPin, newSalt, type PinHashes } from "./pins";
import type { StoreRecord } from "./schema";

/** A new store's record, its PINs hashed with a fresh salt. */
export async function newStore(input: CreateStoreBody, now: number): Promise<StoreRecord> {
	const salt = newSalt();
	const pins: PinHashes = {
		salt,
		barista: await hashPin(input.pins.barista, salt),
		admin: await hashPin(input.pins.admin, salt),
		...(input.pins.display ? { display: await hashPin(input.pins.display, salt) } : {}),
		version: 1,
	};
	const settings = Settings.parse(input.settings ?? {});
	const menu = input.menu ?? Menu.parse(defaultMenu);
	return {
		storeId: input.id,
		name: input.name,
		settings,
		menu,
		pins,
		version: 1,
		nextNumber: 1,
		createdAt: now,
		updatedAt: now,
	};
}

/** Staff may change the store; baristas only what `baristaSettingsKeys` lists. */
export function mayChange(actor: Actor, storeId: string, body: PatchStoreBody): Failure | null {
	if (!isStaffOf(actor, storeId)) return fail("forbidden", "Only this store's staff can change it.");
	if (isAdminOf(actor, storeId)) return null;
	const denied = Object.keys(body).filter((key) => !(baristaSettingsKeys as readonly string[]).includes(key));
	return denied.length > 0
		? fail("forbidden", `Only an admin can change ${denied.join(", ")}.`, { fields: denied })
		: null;
}

export interface NewPinHashes {
	barista: string | null;
	admin: string | null;
	display: string | null;
}

/** The hashes of the PINs a patch sets (null for those it leaves), or null when it sets none. */
export async function hashNewPins(body: PatchStoreBody, salt: string): Promise<NewPinHashes | null> {
	if (!body.pins) return null;
	const hash = (pin: string | undefined) => (pin ? hashPin(pin, salt) : null);
	const [barista, admin, display] = await Promise.all([
		hash(body.pins.barista),
		hash(body.pins.admin),
		hash(body.pins.display),
	]);
	return { barista, admin, display };
}

/** What a patch names that is not a setting to copy as it is. */
const mergedByHand = new Set(["open", "paused", "name", "menu", "availability", "pins", "cancelOpenOrders"]);

/** The store after a patch, as of `now`: the next version, or why the patch cannot apply. Writes nothing. */
export function merge(
	current: StoreRecord,
	body: PatchStoreBody,
	pinHashes: NewPinHashes | null,
	now: number,
): Result<StoreRecord> {
	const next: StoreRecord = structuredClone(current);
	const { open, paused, name, menu, availability } = body;
	if (name !== undefined) next.name = name;
	if (open !== undefined) next.settings.open = open;
	if (paused !== undefined) next.settings.paused = paused;
	Object.assign(next.settings, Object.fromEntries(Object.entries(body).filter(([key]) => !mergedByHand.has(key))));
	if (menu !== undefined) next.menu = menu;
	if (availability !== undefined) {
		const applied = applyAvailability(next.menu, availability);
		if (!applied.ok) return applied;
	}
	if (pinHashes) {
		const barista = pinHashes.barista ?? current.pins.barista;
		const admin = pinHashes.admin ?? current.pins.admin;
		const display = pinHashes.display ?? current.pins.display;
		if (sameSecret(barista, admin) || (display && (sameSecret(display, barista) || sameSecret(display, admin)))) {
			return fail("invalid_request", "The barista, admin and display PINs must differ.");
		}
		next.pins = { ...current.pins, barista, admin, ...(display ? { display } : {}), version: current.pins.version + 1 };
	}
	next.version = current.version + 1;
	next.updatedAt = now;
	return ok(next);
}

/** The store as anyone sees it, without its live count of open orders. */
export function publicView(record: StoreRecord): Omit<StoreView, "openOrders"> {
	const { open, paused, ...settings } = record.settings;
	const updatedAt = new Date(record.updatedAt).toISOString();
	return {
		id: record.storeId,
		name: record.name,
		open,
		paused,
		menu: record.menu,
		settings,
		placedIn: record.placedIn ?? null,
		event: record.eventId ?? null,
		version: record.version,
		updatedAt,
	};
}

/** The event of a change to the store (or its creation), with the store as anyone sees it. */
export function configChanged(record: StoreRecord, changed: string[], now: number): EdgeEvent {
	return createEvent(
		"ConfigService.ConfigChanged",
		{ storeId: record.storeId, time: now },
		{ store: publicView(record), changed },
	);
}
