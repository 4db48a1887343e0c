import { app } from "./http/app";
import { consumeDeadLetters, consumeEvents } from "./events/consumer";
import { meterBatch, meterRequest } from "./meter";
import { pruneJourneys } from "./read-model/retention";
import { consumeDeliveries } from "./webhooks/delivery";

export { AttendeeDirectoryDO } from "../durable-objects/attendees/directory";
export { OrderDO } from "../durable-objects/order/order";
export { StoreDO } from "../durable-objects/store/store";
export { EventTailDO } from "../durable-objects/tail/tail";
export { VenueEventDO } from "../durable-objects/venue-event/venue-event";
export type { AppType } from "./http/app";

export default {
	// meterRequest/meterBatch count billable operations for the cost bench; they pass env through unless METER is "on".
	fetch: (request, env, ctx) => app.fetch(request, meterRequest(request, env), ctx),
	async queue(raw, rawEnv) {
		const { batch, env } = meterBatch(raw, rawEnv);
		if (batch.queue.endsWith("-dlq")) await consumeDeadLetters(batch, env);
		else if (batch.queue.endsWith("-webhooks"))
			await consumeDeliveries(batch as Parameters<typeof consumeDeliveries>[0], env);
		else await consumeEvents(batch, env);
	},
	async scheduled(_controller, env) {
		await pruneJourneys(env);
	},
} satisfies ExportedHandler<Env>;
