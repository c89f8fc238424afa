/** Metrics adapter on Powertools Metrics: CloudWatch Embedded Metric Format lines on stdout, no API calls. */
import { Metrics as PowertoolsMetrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Metrics } from '../../ports/metrics';

/** Creates the metrics of one service and stage (namespace `medpay`). */
export function emfMetrics(stage: string): Metrics {
  const metrics = new PowertoolsMetrics({ namespace: 'medpay', serviceName: 'medpay' });
  metrics.addDimension('stage', stage);
  return {
    count(name, dimensions = {}, value = 1) {
      // One EMF document per dimension set: Powertools keeps one set of dimensions per flush.
      const single = metrics.singleMetric();
      for (const [k, v] of Object.entries(dimensions)) single.addDimension(k, v);
      single.addMetric(name, MetricUnit.Count, value);
    },
    flush() {
      metrics.publishStoredMetrics();
    },
  };
}
