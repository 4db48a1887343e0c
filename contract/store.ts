import { z } from "zod";
import { languages } from "#i18n/languages";
import { plainText } from "./names";
import { pinPattern, slugPattern } from "./patterns";

/** Ids of stores, drinks, option groups and choices: short, lower-case, URL-safe. */
export const Slug = z.string().regex(new RegExp(`^${slugPattern}$`), "use 1–40 lower-case letters, digits, '-' or '_'");

const Label = plainText(60).min(1);

export const Choice = z.strictObject({
	id: Slug,
	name: Label,
	available: z.boolean().default(true),
});

export const OptionGroup = z.strictObject({
	id: Slug,
	name: Label,
	/** `single`: pick one (size, milk); `multi`: pick up to `max` (syrups). */
	kind: z.enum(["single", "multi"]).default("single"),
	required: z.boolean().default(false),
	max: z.int().min(1).max(20).optional(),
	/** The choice a `single` group takes when the attendee picks none. */
	default: Slug.optional(),
	choices: z.array(Choice).min(1).max(30),
});

export const Drink = z.strictObject({
	id: Slug,
	name: Label,
	description: plainText(200).optional(),
	/** Which picture the phone draws: coffee, espresso, latte, mocha, tea or cold (other text shows a cup). */
	icon: z.string().trim().max(16).optional(),
	available: z.boolean().default(true),
	/** Ids of the option groups this drink offers, in display order. */
	options: z.array(Slug).max(20).default([]),
});

function duplicates(ids: string[]): string[] {
	return ids.filter((id, i) => ids.indexOf(id) !== i);
}

export const Menu = z
	.strictObject({
		drinks: z.array(Drink).min(1).max(100),
		optionGroups: z.array(OptionGroup).max(30).default([]),
	})
	.superRefine((menu, ctx) => {
		const groups = new Map(menu.optionGroups.map((g) => [g.id, g]));
		for (const id of duplicates(menu.drinks.map((d) => d.id))) {
			ctx.addIssue({ code: "custom", path: ["drinks"], message: `drink id '${id}' is used twice` });
		}
		for (const id of duplicates(menu.optionGroups.map((g) => g.id))) {
			ctx.addIssue({ code: "custom", path: ["optionGroups"], message: `option group id '${id}' is used twice` });
		}
		menu.optionGroups.forEach((group, i) => {
			for (const id of duplicates(group.choices.map((c) => c.id))) {
				ctx.addIssue({
					code: "custom",
					path: ["optionGroups", i, "choices"],
					message: `choice id '${id}' is used twice`,
				});
			}
			if (group.default && !group.choices.some((c) => c.id === group.default)) {
				ctx.addIssue({
					code: "custom",
					path: ["optionGroups", i, "default"],
					message: `default '${group.default}' is not one of the choices`,
				});
			}
		});
		menu.drinks.forEach((drink, i) => {
			for (const id of drink.options) {
				if (!groups.has(id)) {
					ctx.addIssue({
						code: "custom",
						path: ["drinks", i, "options"],
						message: `option group '${id}' does not exist`,
					});
				}
			}
		});
	})
	.meta({ id: "Menu" });
export type Menu = z.infer<typeof Menu>;
export type MenuInput = z.input<typeof Menu>;
export type Drink = z.infer<typeof Drink>;
export type OptionGroup = z.infer<typeof OptionGroup>;

function isTimeZone(tz: string): boolean {
	try {
		new Intl.DateTimeFormat("en", { timeZone: tz });
		return true;
	} catch {
		return false;
	}
}

/** The languages attendees read (the phone, the display, push notices). */
export const Language = z.enum(languages);
export type Language = z.infer<typeof Language>;

/** One language, or two different ones. */
export const DisplayLanguages = z
	.array(Language)
	.min(1)
	.max(2)
	.refine((list) => new Set(list).size === list.length, "the two languages must differ");

/**
 * Where a store's Durable Object, and its orders' objects, are created: a Cloudflare location hint near the
 * venue (western / eastern North America, South America, western / eastern Europe, Asia-Pacific, Oceania,
 * Africa, the Middle East).
 */
export const Region = z.enum(["wnam", "enam", "sam", "weur", "eeur", "apac", "oc", "afr", "me"]);
export type Region = z.infer<typeof Region>;

/** Tunables of a store; defaults follow the original system (10 drinks per code, 5-minute windows, 5/15-minute timers). */
export const Settings = z.strictObject({
	open: z.boolean().default(false),
	paused: z.boolean().default(false),
	drinksPerCode: z.int().min(1).max(10_000).default(10),
	codeWindowSeconds: z.int().min(10).max(86_400).default(300),
	capacity: z.int().min(1).max(10_000).default(20),
	customerTimeoutSeconds: z.int().min(5).max(3_600).default(300),
	baristaTimeoutSeconds: z.int().min(5).max(14_400).default(900),
	maxOrdersPerUserPerDay: z.int().min(1).max(1_000).default(3),
	/**
	 * Drinks one network (an IPv4 address, an IPv6 /64) may take from one QR code; 0, the default, is no limit.
	 * Off by default because a venue's attendees often share a few addresses.
	 */
	drinksPerNetworkPerCode: z.int().min(0).max(10_000).default(0),
	/** The day of the per-attendee limit starts at midnight in this zone. */
	timeZone: z.string().refine(isTimeZone, "not an IANA time zone").default("UTC"),
	/** The demo "Robot" switch: the store claims and completes queued orders itself, one drink at a time. */
	robotBarista: z.boolean().default(false),
	robotSecondsPerDrink: z.int().min(1).max(600).default(20),
	/** The display's language, or two it alternates between; English when unset. */
	displayLanguages: DisplayLanguages.optional(),
	/** Near which venue the store's object is created (set with the store) and its orders' objects are. */
	region: Region.optional(),
});
export type Settings = z.infer<typeof Settings>;

export const Pin = z.string().regex(new RegExp(`^${pinPattern}$`), "a PIN is 4–12 digits");

export const Pins = z
	.strictObject({ barista: Pin, admin: Pin, display: Pin.optional() })
	.refine((p) => p.barista !== p.admin && p.display !== p.barista && p.display !== p.admin, {
		message: "the barista, admin and display PINs must differ",
	});

/** The id a sign-in screen keeps for its device, so that wrong PINs count per device (see PinGuard). */
export const DeviceId = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, "a device id is 16–64 letters, digits, '-' or '_'");

/** A one-time code a barista's tablet shows to pair a display: 8 letters and digits, `ABCD-2345`. */
export const PairingCode = z
	.string()
	.regex(
		/^\s*[0-9A-Za-z]{4}[\s-]?[0-9A-Za-z]{4}\s*$/,
		"a pairing code is 8 letters and digits, as the tablet shows it",
	);

export const CreateStoreBody = z
	.strictObject({
		id: Slug,
		name: Label,
		settings: Settings.partial().optional(),
		menu: Menu.optional(),
		pins: Pins,
	})
	.meta({ id: "CreateStore" });
export type CreateStoreBody = z.infer<typeof CreateStoreBody>;

/** Sold-out switches baristas flip without touching the menu: `{ drinks: { latte: false }, choices: { milk: { oat: false } } }`. */
export const Availability = z.strictObject({
	drinks: z.record(Slug, z.boolean()).optional(),
	choices: z.record(Slug, z.record(Slug, z.boolean())).optional(),
});
export type Availability = z.infer<typeof Availability>;

/** What a barista may change; everything else in PATCH needs an admin. */
export const baristaSettingsKeys = [
	"open",
	"paused",
	"availability",
	"cancelOpenOrders",
	"robotBarista",
	"robotSecondsPerDrink",
] as const;

export const PatchStoreBody = z
	.strictObject({
		name: Label.optional(),
		open: z.boolean().optional(),
		paused: z.boolean().optional(),
		/** With `open: false`: cancel every order that is still open (reason `store_closed`). */
		cancelOpenOrders: z.boolean().optional(),
		menu: Menu.optional(),
		availability: Availability.optional(),
		drinksPerCode: Settings.shape.drinksPerCode.unwrap().optional(),
		codeWindowSeconds: Settings.shape.codeWindowSeconds.unwrap().optional(),
		capacity: Settings.shape.capacity.unwrap().optional(),
		customerTimeoutSeconds: Settings.shape.customerTimeoutSeconds.unwrap().optional(),
		baristaTimeoutSeconds: Settings.shape.baristaTimeoutSeconds.unwrap().optional(),
		maxOrdersPerUserPerDay: Settings.shape.maxOrdersPerUserPerDay.unwrap().optional(),
		drinksPerNetworkPerCode: Settings.shape.drinksPerNetworkPerCode.unwrap().optional(),
		timeZone: Settings.shape.timeZone.unwrap().optional(),
		robotBarista: Settings.shape.robotBarista.unwrap().optional(),
		robotSecondsPerDrink: Settings.shape.robotSecondsPerDrink.unwrap().optional(),
		displayLanguages: DisplayLanguages.optional(),
		region: Region.optional(),
		pins: z.strictObject({ barista: Pin.optional(), admin: Pin.optional(), display: Pin.optional() }).optional(),
	})
	.refine((body) => Object.keys(body).length > 0, { message: "nothing to change" })
	.refine((body) => !body.cancelOpenOrders || body.open === false, {
		message: "cancelOpenOrders goes with open: false",
		path: ["cancelOpenOrders"],
	})
	.meta({ id: "PatchStore" });
export type PatchStoreBody = z.infer<typeof PatchStoreBody>;

export const StoreView = z
	.object({
		id: z.string(),
		name: z.string(),
		open: z.boolean(),
		paused: z.boolean(),
		menu: Menu,
		settings: Settings.omit({ open: true, paused: true }),
		/** The location hint the store's object was created with (`settings.region` then), or null. */
		placedIn: Region.nullable(),
		/** The venue event whose bars the store is one of (contract/venue-event.ts), or null. */
		event: z.string().nullable(),
		/** Orders admitted and not yet finished (awaiting order, queued, making). */
		openOrders: z.int(),
		version: z.int(),
		updatedAt: z.string(),
	})
	.meta({ id: "Store" });
export type StoreView = z.infer<typeof StoreView>;

export const QrView = z
	.object({
		code: z.string(),
		url: z.string(),
		tokensLeft: z.int(),
		tokensTotal: z.int(),
		startsAt: z.string(),
		expiresAt: z.string(),
	})
	.meta({ id: "QrCode" });
export type QrView = z.infer<typeof QrView>;

/** The URL a QR code encodes: the order page with the store and the code. */
export function orderPageUrl(origin: string, storeId: string, code: string): string {
	return `${origin}/order?store=${encodeURIComponent(storeId)}&code=${encodeURIComponent(code)}`;
}

/** The menu a new store gets when none is given. */
export const defaultMenu: MenuInput = {
	drinks: [
		{ id: "espresso", name: "Espresso", icon: "espresso", options: ["shots", "sugar"] },
		{ id: "americano", name: "Americano", icon: "coffee", options: ["size", "shots", "sugar"] },
		{ id: "latte", name: "Latte", icon: "latte", options: ["size", "shots", "milk", "syrup", "sugar"] },
		{ id: "cappuccino", name: "Cappuccino", icon: "coffee", options: ["size", "shots", "milk", "syrup", "sugar"] },
		{ id: "flat-white", name: "Flat White", icon: "coffee", options: ["shots", "milk", "sugar"] },
		{ id: "mocha", name: "Mocha", icon: "mocha", options: ["size", "milk", "syrup"] },
		{ id: "tea", name: "Tea", icon: "tea", options: ["sugar"] },
	],
	optionGroups: [
		{
			id: "size",
			name: "Size",
			default: "regular",
			choices: [
				{ id: "small", name: "Small" },
				{ id: "regular", name: "Regular" },
				{ id: "large", name: "Large" },
			],
		},
		{
			id: "shots",
			name: "Shots",
			default: "single",
			choices: [
				{ id: "single", name: "Single" },
				{ id: "double", name: "Double" },
				{ id: "decaf", name: "Decaf" },
			],
		},
		{
			id: "milk",
			name: "Milk",
			default: "regular",
			choices: [
				{ id: "regular", name: "Regular" },
				{ id: "oat", name: "Oat" },
				{ id: "soy", name: "Soy" },
				{ id: "almond", name: "Almond" },
				{ id: "none", name: "No milk" },
			],
		},
		{
			id: "syrup",
			name: "Syrup",
			kind: "multi",
			max: 2,
			choices: [
				{ id: "vanilla", name: "Vanilla" },
				{ id: "caramel", name: "Caramel" },
				{ id: "hazelnut", name: "Hazelnut" },
			],
		},
		{
			id: "sugar",
			name: "Sugar",
			default: "none",
			choices: [
				{ id: "none", name: "No sugar" },
				{ id: "one", name: "1 sugar" },
				{ id: "two", name: "2 sugars" },
			],
		},
	],
};
