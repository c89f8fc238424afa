/**
 * Metrics as CloudWatch Embedded Metric Format lines on stdout: no API calls, CloudWatch extracts them from
 * the logs. The document follows the EMF specification (CloudWatch User Guide, "Specification: Embedded
 * metric format"): `_aws.Timestamp` in epoch milliseconds, `_aws.CloudWatchMetrics[]` with the Namespace,
 * the dimension sets (arrays of top-level member names; each set is a metric of its own) and the metric's
 * Name and Unit, and the values as top-level members. Every metric has the stage-level set
 * [service, stage], which the alarms watch (infra/operations.cjs), plus its own dimensions when it has any.
 */
import type { Metrics, MetricUnit } from '../../ports/metrics';

/** Creates the metrics of one service and stage (namespace `medpay`); `write` receives each document. */
export function emfMetrics(
  stage: string,
  write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  now: () => number = Date.now,
): Metrics {
  function emit(name: string, value: number, unit: MetricUnit, dimensions: Readonly<Record<string, string>>) {
    const stageLevel = ['service', 'stage'];
    const extra = Object.keys(dimensions).filter((k) => !stageLevel.includes(k));
    write(
      JSON.stringify({
        _aws: {
          Timestamp: now(),
          CloudWatchMetrics: [
            {
              Namespace: 'medpay',
              Dimensions: extra.length > 0 ? [stageLevel, [...stageLevel, ...extra]] : [stageLevel],
              Metrics: [{ Name: name, Unit: unit }],
            },
          ],
        },
        ...dimensions,
        service: 'medpay',
        stage,
        [name]: value,
      }),
    );
  }
  return {
    count: (name, dimensions = {}, value = 1) => emit(name, value, 'Count', dimensions),
    measure: (name, value, unit, dimensions = {}) => emit(name, value, unit, dimensions),
  };
}
