import { jsonRowTable } from "./json-row";
import { outboxTable } from "./outbox";
import { liveVersionsTable } from "./sockets";
import { timersTables } from "./timers";

/**
 * The OrderDO's tables, as numbered steps (see migrations.ts), created when the order starts: a request for
 * an order that does not exist creates none. Orders started before these steps already have the tables
 * (their building blocks created them), so every step must be a no-op for them.
 */
export const orderSchema = [
	`${jsonRowTable("order_record")}
	 ${timersTables}
	 ${outboxTable}
	 ${liveVersionsTable}`,
] as const;
