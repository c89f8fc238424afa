/** Metrics that remember what was counted, for assertions (and to keep EMF lines out of test output). */
import type { Metrics } from '../../lib/ports/metrics';

/** One recorded count or measurement. */
export interface Recorded {
  readonly name: string;
  readonly value: number;
  readonly dimensions: Readonly<Record<string, string>>;
}

/** Metrics that remember: `recorded` in order, and `total` of one metric. */
export type RecordingMetrics = Metrics & { recorded: Recorded[]; total(name: string): number };

/** A Metrics whose `recorded` lists every count and measurement in order. */
export function recordingMetrics(): RecordingMetrics {
  const recorded: Recorded[] = [];
  return {
    recorded,
    count: (name, dimensions = {}, value = 1) =>
      void recorded.push({ name, value, dimensions: { ...dimensions } }),
    measure: (name, value, _unit, dimensions = {}) =>
      void recorded.push({ name, value, dimensions: { ...dimensions } }),
    total: (name) => recorded.filter((r) => r.name === name).reduce((sum, r) => sum + r.value, 0),
  };
}

/** The recording metrics test dependencies are built with (tests/support/dynamo.ts). */
export const recorded = (deps: { metrics: Metrics }) => deps.metrics as RecordingMetrics;
