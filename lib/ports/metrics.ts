/** Metrics port: business counts (integrity alerts, rejected notifications, …), emitted as CloudWatch metrics. */

/**
 * Counts business events by name and dimensions; `flush` writes what was counted (once per invocation).
 * @example metrics.count('IntegrityAlerts', { channel: 'wechatpay' }); metrics.flush();
 */
export interface Metrics {
  count(name: string, dimensions?: Readonly<Record<string, string>>, value?: number): void;
  flush(): void;
}
