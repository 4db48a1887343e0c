import { idempotencyTable } from "./idempotency";
import { jsonRowTable } from "./json-row";
import { outboxTable } from "./outbox";
import { liveVersionsTable } from "./sockets";
import { timersTables } from "./timers";

/**
 * The OrderDO's tables, as numbered steps (see migrations.ts), created when the order starts: a request for
 * an order that does not exist creates none. Orders started before these steps already have the tables
 * (their building blocks created them), so every step must be safe to run over what they have.
 */
export const orderSchema = [
	`${jsonRowTable("order_record")}
	 ${timersTables}
	 ${outboxTable}
	 ${liveVersionsTable}`,
	// Safe retries: the answers to keyed writes (idempotency.ts), with the order rather than on first use.
	idempotencyTable,
] as const;
