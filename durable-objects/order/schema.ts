import { idempotencyTable } from "../blocks/idempotency";
import { jsonRowTable } from "../blocks/json-row";
import { outboxTable } from "../blocks/outbox";
import { liveVersionsTable } from "../blocks/sockets";
import { timersTables } from "../blocks/timers";

/**
 * The OrderDO's tables, as numbered steps (see blocks/migrations.ts), created when the order starts: a request for
 * an order that does not exist creates none. Orders started before these steps already have the tables
 * (their building blocks created them), so every step must be safe to run over what they have.
 */
export const orderSchema = [
	`${jsonRowTable("order_record")}
	 ${timersTables}
	 ${outboxTable}
	 ${liveVersionsTable}`,
	// Safe retries: the answers to keyed writes (blocks/idempotency.ts), with the order rather than on first use.
	idempotencyTable,
] as const;
