/** Metrics port: business counts (integrity alerts, rejected notifications, …), emitted as CloudWatch metrics. */

/** The units medpay records in. */
export type MetricUnit = 'Count' | 'Seconds';

/**
 * Counts business events and records measurements, by name and dimensions. Each is written as it happens
 * (CloudWatch reads them from the logs), and is also summed per stage for the alarms.
 * @example metrics.count('IntegrityAlerts', { channel: 'wechatpay' }); metrics.measure('OutboxLagSeconds', 12, 'Seconds');
 */
export interface Metrics {
  count(name: string, dimensions?: Readonly<Record<string, string>>, value?: number): void;
  measure(name: string, value: number, unit: MetricUnit, dimensions?: Readonly<Record<string, string>>): void;
}
