import { fail, ok, type Result } from "#contract/errors.ts";
import type { Availability, Menu } from "#contract/store.ts";

/** Applies sold-out switches to a menu (in place); an unknown drink, group or choice is refused. */
export function applyAvailability(menu: Menu, availability: Availability): Result<void> {
	for (const [drinkId, available] of Object.entries(availability.drinks ?? {})) {
		const drink = menu.drinks.find((d) => d.id === drinkId);
		if (!drink) return fail("invalid_request", `There is no drink '${drinkId}' on the menu.`);
		drink.available = available;
	}
	for (const [groupId, choices] of Object.entries(availability.choices ?? {})) {
		const group = menu.optionGroups.find((g) => g.id === groupId);
		if (!group) return fail("invalid_request", `There is no option group '${groupId}'.`);
		for (const [choiceId, available] of Object.entries(choices)) {
			const choice = group.choices.find((c) => c.id === choiceId);
			if (!choice) return fail("invalid_request", `${group.name} has no choice '${choiceId}'.`);
			choice.available = available;
		}
	}
	return ok(undefined);
}
