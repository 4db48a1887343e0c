import { app } from "./app";
import { consumeDeadLetters, consumeEvents } from "./consumer";

export { OrderDO } from "../durable-objects/order";
export { StoreDO } from "../durable-objects/store";
export type { AppType } from "./app";

export default {
	fetch: app.fetch,
	async queue(batch, env) {
		if (batch.queue.endsWith("-dlq")) await consumeDeadLetters(batch, env);
		else await consumeEvents(batch, env);
	},
} satisfies ExportedHandler<Env>;
