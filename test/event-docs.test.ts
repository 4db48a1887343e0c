import { describe, expect, it } from "vitest";
import published from "../docs/events.md?raw";
import { rules } from "../workers/events/consumer";
import { eventTypes } from "#contract/events.ts";
import { renderEventDocs } from "../scripts/events/event-docs";

describe("the event catalog's page (docs/events.md)", () => {
	it("is current: it is what npm run events:docs renders from the catalog and the consumer rules", () => {
		expect(published === renderEventDocs(rules), "docs/events.md is stale: run npm run events:docs").toBe(true);
	});

	it("names every event, its producer and its consumers in the diagram, and gives each a schema", () => {
		const page = renderEventDocs(rules);
		for (const type of eventTypes) {
			expect(page).toContain(`### ${type}`);
			expect(page).toMatch(new RegExp(`p_(StoreDO|OrderDO|Worker) --> e_${type.replace(".", "_")}\\n`));
			expect(page).toContain(`e_${type.replace(".", "_")} --> c_projector`);
		}
		expect(page).toContain("e_OrderManager_OrderCompleted --> c_notifier");
		expect(page).not.toContain("e_OrderManager_MakeOrder --> c_notifier");
	});
});
