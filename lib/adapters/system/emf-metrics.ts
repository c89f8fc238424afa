/**
 * Metrics as CloudWatch Embedded Metric Format lines on stdout: no API calls, CloudWatch extracts them from
 * the logs. The document follows the EMF specification (CloudWatch User Guide, "Specification: Embedded
 * metric format"): `_aws.Timestamp` in epoch milliseconds, `_aws.CloudWatchMetrics[]` with the Namespace, the
 * dimension names and the metric's Name and Unit, and the values as top-level members. One document per
 * count, as each carries its own dimension set.
 */
import type { Metrics } from '../../ports/metrics';

/** Creates the metrics of one service and stage (namespace `medpay`); `write` receives each document. */
export function emfMetrics(
  stage: string,
  write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  now: () => number = Date.now,
): Metrics {
  const pending: string[] = [];
  return {
    count(name, dimensions = {}, value = 1) {
      const all = { service: 'medpay', stage, ...dimensions };
      pending.push(
        JSON.stringify({
          _aws: {
            Timestamp: now(),
            CloudWatchMetrics: [
              {
                Namespace: 'medpay',
                Dimensions: [Object.keys(all)],
                Metrics: [{ Name: name, Unit: 'Count' }],
              },
            ],
          },
          ...all,
          [name]: value,
        }),
      );
    },
    flush() {
      for (const line of pending.splice(0)) write(line);
    },
  };
}
