import type { Menu, MenuInput } from "#contract/store.ts";
import { drinkIcon } from "#lib/icons.ts";
import { slugFrom } from "./slug.ts";

/**
 * The menu as the editor holds it while it is being changed. Items carry a `key` of their own (ids of new
 * items are made from their names only when the menu is saved), and drinks refer to option groups, and
 * groups to their default choice, by that key, so renaming or adding keeps the links.
 */

export interface DraftChoice {
	key: string;
	isNew: boolean;
	id: string;
	name: string;
	available: boolean;
}

export interface DraftGroup {
	key: string;
	isNew: boolean;
	id: string;
	name: string;
	kind: "single" | "multi";
	required: boolean;
	max: number | null;
	/** The key of the default choice, or "" for none. */
	default: string;
	choices: DraftChoice[];
}

export interface DraftDrink {
	key: string;
	isNew: boolean;
	id: string;
	name: string;
	description: string;
	icon: string;
	available: boolean;
	/** Keys of the option groups it offers, in order. */
	options: string[];
}

export interface MenuDraft {
	drinks: DraftDrink[];
	groups: DraftGroup[];
}

/** Keys need only be unique on this page; a counter also works on a plain-http address, where crypto.randomUUID does not exist. */
let keys = 0;
const newKey = () => `k${++keys}`;

export function draftOf(menu: Menu): MenuDraft {
	const groups: DraftGroup[] = menu.optionGroups.map((group) => {
		const choices = group.choices.map((choice) => ({
			key: newKey(),
			isNew: false,
			id: choice.id,
			name: choice.name,
			available: choice.available,
		}));
		return {
			key: newKey(),
			isNew: false,
			id: group.id,
			name: group.name,
			kind: group.kind,
			required: group.required,
			max: group.max ?? null,
			default: choices.find((c) => c.id === group.default)?.key ?? "",
			choices,
		};
	});
	const groupKey = new Map(groups.map((g) => [g.id, g.key]));
	return {
		groups,
		drinks: menu.drinks.map((drink) => ({
			key: newKey(),
			isNew: false,
			id: drink.id,
			name: drink.name,
			description: drink.description ?? "",
			icon: drinkIcon(drink.icon),
			available: drink.available,
			options: drink.options.map((id) => groupKey.get(id)).filter((key): key is string => key !== undefined),
		})),
	};
}

export function newDrink(): DraftDrink {
	return {
		key: newKey(),
		isNew: true,
		id: "",
		name: "",
		description: "",
		icon: "coffee",
		available: true,
		options: [],
	};
}

export function newGroup(): DraftGroup {
	return {
		key: newKey(),
		isNew: true,
		id: "",
		name: "",
		kind: "single",
		required: false,
		max: null,
		default: "",
		choices: [newChoice()],
	};
}

export function newChoice(): DraftChoice {
	return { key: newKey(), isNew: true, id: "", name: "", available: true };
}

/** Gives every item without an id one made from its name, unique among its siblings. */
function ids<T extends { key: string; id: string; name: string }>(items: T[]): Map<string, string> {
	const taken = items.map((item) => item.id.trim()).filter(Boolean);
	const byKey = new Map<string, string>();
	for (const item of items) {
		const id = item.id.trim() || slugFrom(item.name, taken);
		taken.push(id);
		byKey.set(item.key, id);
	}
	return byKey;
}

/** The menu to send: the API checks it again (ids, defaults, links) and says what is wrong. */
export function menuOf(draft: MenuDraft): MenuInput {
	const groupIds = ids(draft.groups);
	const drinkIds = ids(draft.drinks);
	return {
		optionGroups: draft.groups.map((group) => {
			const choiceIds = ids(group.choices);
			const defaultId = group.default ? choiceIds.get(group.default) : undefined;
			return {
				id: groupIds.get(group.key)!,
				name: group.name.trim(),
				kind: group.kind,
				required: group.required,
				...(group.kind === "multi" && group.max ? { max: group.max } : {}),
				...(group.kind === "single" && defaultId ? { default: defaultId } : {}),
				choices: group.choices.map((choice) => ({
					id: choiceIds.get(choice.key)!,
					name: choice.name.trim(),
					available: choice.available,
				})),
			};
		}),
		drinks: draft.drinks.map((drink) => ({
			id: drinkIds.get(drink.key)!,
			name: drink.name.trim(),
			...(drink.description.trim() ? { description: drink.description.trim() } : {}),
			...(drink.icon.trim() ? { icon: drink.icon.trim() } : {}),
			available: drink.available,
			options: drink.options.map((key) => groupIds.get(key)).filter((id): id is string => id !== undefined),
		})),
	};
}
