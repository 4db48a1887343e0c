/** What the robot saw: outcomes, latencies and refusals, tallied as it runs. */

export type Outcome =
	| "ready"
	| "cancelled by attendee"
	| "cancelled by barista/store"
	| "timed out (attendee)"
	| "timed out (barista)"
	| "still open"
	| "turned away"
	| "no answer";

export const outcomes: Outcome[] = [
	"ready",
	"cancelled by attendee",
	"cancelled by barista/store",
	"timed out (attendee)",
	"timed out (barista)",
	"still open",
	"turned away",
	"no answer",
];

export type Measure = "scan" | "submit" | "complete → READY seen";
export const measures: Measure[] = ["scan", "submit", "complete → READY seen"];

export class Tally {
	readonly outcomes = new Map<Outcome, number>();
	readonly latencies = new Map<Measure, number[]>();
	/** Refusals and failures by the step and the API's error code, e.g. `scan code_exhausted`. */
	readonly errors = new Map<string, number>();
	admitted = 0;
	started = 0;
	finished = 0;

	outcome(outcome: Outcome): void {
		this.outcomes.set(outcome, (this.outcomes.get(outcome) ?? 0) + 1);
		this.finished++;
	}

	time(measure: Measure, ms: number): void {
		const list = this.latencies.get(measure) ?? [];
		list.push(ms);
		this.latencies.set(measure, list);
	}

	error(step: string, code: string): void {
		const key = `${step} ${code}`;
		this.errors.set(key, (this.errors.get(key) ?? 0) + 1);
	}

	count(outcome: Outcome): number {
		return this.outcomes.get(outcome) ?? 0;
	}
}

export function percentile(values: number[], q: number): number | null {
	if (values.length === 0) return null;
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export function summary(values: number[]) {
	const round = (n: number | null) => (n === null ? null : Math.round(n * 10) / 10);
	return {
		count: values.length,
		p50: round(percentile(values, 0.5)),
		p95: round(percentile(values, 0.95)),
		p99: round(percentile(values, 0.99)),
		max: round(values.length ? Math.max(...values) : null),
	};
}
