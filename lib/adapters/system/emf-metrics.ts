/**
 * Metrics as CloudWatch Embedded Metric Format lines on stdout, written by Powertools Metrics: no API calls,
 * CloudWatch extracts them from the logs (CloudWatch User Guide, "Specification: Embedded metric format").
 * Each count or measurement is published at once (a single metric), in namespace `medpay` with the
 * stage-level dimension set [service, stage] that the alarms watch (infra/operations.cjs), plus a second set
 * with its own dimensions when it has any; a dimension cannot override service or stage.
 */
import { Metrics as PowertoolsMetrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Metrics, MetricUnit as Unit } from '../../ports/metrics';
import { redirectOutput } from './powertools-output';

const UNITS = { Count: MetricUnit.Count, Seconds: MetricUnit.Seconds } as const satisfies Record<
  Unit,
  string
>;
const STAGE_LEVEL = ['service', 'stage'];

/** Creates the metrics of one service and stage; `write` receives each document instead of stdout (tests). */
export function emfMetrics(
  stage: string,
  write?: (line: string) => void,
  now: () => number = Date.now,
): Metrics {
  const base = new PowertoolsMetrics({
    namespace: 'medpay',
    serviceName: 'medpay',
    defaultDimensions: { stage },
  });
  function emit(name: string, value: number, unit: Unit, dimensions: Readonly<Record<string, string>>) {
    const metric = base.singleMetric();
    if (write) redirectOutput(metric, write);
    metric.setTimestamp(now());
    const extra = Object.entries(dimensions).filter(([k]) => !STAGE_LEVEL.includes(k));
    if (extra.length > 0) {
      metric.addDimensions({}); // the stage-level set, on its own
      metric.addDimensions(Object.fromEntries(extra));
    }
    metric.addMetric(name, UNITS[unit], value); // a single metric is published as it is added
  }
  return {
    count: (name, dimensions = {}, value = 1) => emit(name, value, 'Count', dimensions),
    measure: (name, value, unit, dimensions = {}) => emit(name, value, unit, dimensions),
  };
}
