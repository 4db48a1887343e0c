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
