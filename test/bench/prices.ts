/**
 * Cloudflare's list prices (Workers Paid, as Cloudflare publishes them), per operation, without the
 * monthly allowances: the marginal cost of an order. DO duration (GB-s while an object is active) is not
 * counted by the meter and is left out; Workers CPU is priced from workerd's whole CPU time, an upper bound
 * (locally it includes the D1 and Queue simulators).
 */
export const listPrice = {
	workerRequest: 0.3 / 1e6,
	workerCpuMs: 0.02 / 1e6,
	doRequest: 0.15 / 1e6,
	doRowRead: 0.001 / 1e6,
	doRowWritten: 1 / 1e6,
	d1RowRead: 0.001 / 1e6,
	d1RowWritten: 1 / 1e6,
	queueOp: 0.4 / 1e6,
};

/** The original's published figures (Serverlesspresso workshop, "Cost"): per day, for about 1,000 drinks. */
export const originalDailyCost = { aws: 0.63, sms: 8 };

export interface MeterTotals {
	workerRequests: number;
	doRequests: number;
	doRowsRead: number;
	doRowsWritten: number;
	d1RowsRead: number;
	d1RowsWritten: number;
	queueOps: number;
}

export interface Cost {
	orders: number;
	lines: { name: string; perOrder: number; per1000: number }[];
	per1000: number;
}

export function costOf(totals: MeterTotals, orders: number, cpuMsPerOrder: number): Cost {
	const line = (name: string, total: number, price: number) => ({
		name,
		perOrder: total / orders,
		per1000: (total / orders) * 1000 * price,
	});
	const lines = [
		line("Worker requests (API, socket upgrades, queue batches)", totals.workerRequests, listPrice.workerRequest),
		line("Worker CPU ms (upper bound: all of workerd)", cpuMsPerOrder * orders, listPrice.workerCpuMs),
		line("DO requests (RPC, connects, alarms, WS msgs ÷ 20)", totals.doRequests, listPrice.doRequest),
		line("DO SQLite rows written (incl. setAlarm)", totals.doRowsWritten, listPrice.doRowWritten),
		line("DO SQLite rows read", totals.doRowsRead, listPrice.doRowRead),
		line("D1 rows written (incl. index rows)", totals.d1RowsWritten, listPrice.d1RowWritten),
		line("D1 rows read", totals.d1RowsRead, listPrice.d1RowRead),
		line("Queue operations (write, read, delete, retries)", totals.queueOps, listPrice.queueOp),
	];
	return { orders, lines, per1000: lines.reduce((sum, l) => sum + l.per1000, 0) };
}
