import type { Order } from "#contract/order.ts";
import type { Menu } from "#contract/store.ts";

/**
 * An order's options as a person reads them, one per option group: "Size: Regular", "Syrup: Vanilla,
 * Caramel". The group names come from the store's menu when it is at hand; without it, the choices alone.
 */
export function describeOptions(order: Pick<Order, "options">, menu?: Menu | null): string[] {
	const byGroup = new Map<string, string[]>();
	for (const option of order.options) byGroup.set(option.group, [...(byGroup.get(option.group) ?? []), option.label]);
	return [...byGroup].map(([group, labels]) => {
		const name = menu?.optionGroups.find((g) => g.id === group)?.name;
		return name ? `${name}: ${labels.join(", ")}` : labels.join(", ");
	});
}

/**
 * What a barista must notice: the options that differ from the drink's defaults ("Oat", "Vanilla"), each
 * with its group's name for screen readers. A `single` group's default is the menu's, or, for a required
 * group without one, its first choice (what the phone preselects); a `multi` group has none, so every pick
 * counts. Without the menu every option is shown.
 */
export function changedOptions(order: Pick<Order, "options">, menu?: Menu | null): { group: string; label: string }[] {
	return order.options.flatMap((option) => {
		const group = menu?.optionGroups.find((g) => g.id === option.group);
		if (!group) return [{ group: option.group, label: option.label }];
		const fallback =
			group.kind === "single" ? (group.default ?? (group.required ? group.choices[0]?.id : undefined)) : undefined;
		return option.choice === fallback ? [] : [{ group: group.name, label: option.label }];
	});
}
