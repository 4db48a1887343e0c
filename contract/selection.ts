import { fail, type Result } from "./errors";
import type { OrderOption, SubmitOrderBody } from "./order";
import type { Menu } from "./store";

export interface Selection {
	drink: { id: string; name: string };
	options: OrderOption[];
}

/**
 * Checks an attendee's choice against the menu as it is now (availability included) and resolves it to the
 * names that go on the cup. Used by the store before it accepts an order, and by the order page to explain
 * a refusal before it is sent.
 */
export function resolveSelection(menu: Menu, body: Pick<SubmitOrderBody, "drink" | "options">): Result<Selection> {
	const drink = menu.drinks.find((d) => d.id === body.drink);
	if (!drink) return fail("invalid_request", `There is no drink '${body.drink}' on the menu.`, { field: "drink" });
	if (!drink.available) return fail("sold_out", `${drink.name} is sold out.`, { drink: drink.id });

	for (const group of Object.keys(body.options)) {
		if (!drink.options.includes(group)) {
			return fail("invalid_request", `${drink.name} has no '${group}' option.`, { field: `options.${group}` });
		}
	}

	const options: OrderOption[] = [];
	for (const groupId of drink.options) {
		const group = menu.optionGroups.find((g) => g.id === groupId);
		if (!group) continue;
		const raw = body.options[groupId];
		const picked = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
		if (new Set(picked).size !== picked.length) {
			return fail("invalid_request", `${group.name}: each choice only once.`, { field: `options.${groupId}` });
		}
		if (group.kind === "single" && picked.length > 1) {
			return fail("invalid_request", `${group.name}: pick one.`, { field: `options.${groupId}` });
		}
		if (group.kind === "multi" && group.max !== undefined && picked.length > group.max) {
			return fail("invalid_request", `${group.name}: at most ${group.max}.`, { field: `options.${groupId}` });
		}
		if (picked.length === 0 && group.kind === "single" && group.default) picked.push(group.default);
		if (picked.length === 0 && group.required) {
			return fail("invalid_request", `${group.name}: please choose one.`, { field: `options.${groupId}` });
		}
		for (const choiceId of picked) {
			const choice = group.choices.find((c) => c.id === choiceId);
			if (!choice) {
				return fail("invalid_request", `${group.name} has no choice '${choiceId}'.`, { field: `options.${groupId}` });
			}
			if (!choice.available) {
				return fail("sold_out", `${group.name}: ${choice.name} is sold out.`, { group: group.id, choice: choice.id });
			}
			options.push({ group: group.id, choice: choice.id, label: choice.name });
		}
	}
	return { ok: true, value: { drink: { id: drink.id, name: drink.name }, options } };
}
