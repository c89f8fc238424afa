/**
 * EMF documents as the CloudWatch specification ("Specification: Embedded metric format") defines them:
 * `_aws.Timestamp` (epoch ms), `CloudWatchMetrics` with Namespace, Dimensions (arrays of member names that
 * are present at the top level; each array is a dimension set, i.e. a metric of its own) and Metrics
 * (Name, Unit, one of CloudWatch's units), and each metric's value as a top-level member.
 */
import { describe, expect, it } from 'vitest';
import { emfMetrics } from '../../../../lib/adapters/system/emf-metrics';

const at = 1_764_000_000_000;

describe('emfMetrics', () => {
  it('writes one valid EMF document per count, with the stage-level dimension set the alarms watch', () => {
    const lines: string[] = [];
    const metrics = emfMetrics(
      'prod',
      (l) => lines.push(l),
      () => at,
    );
    metrics.count('IntegrityAlerts');
    metrics.count('NotificationsRejected', { channel: 'alipay', reason: 'BAD_SIGNATURE' }, 2);
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0]!)).toEqual({
      _aws: {
        Timestamp: at,
        CloudWatchMetrics: [
          {
            Namespace: 'medpay',
            Dimensions: [['service', 'stage']],
            Metrics: [{ Name: 'IntegrityAlerts', Unit: 'Count' }],
          },
        ],
      },
      service: 'medpay',
      stage: 'prod',
      IntegrityAlerts: 1,
    });
    const doc = JSON.parse(lines[1]!);
    expect(doc).toEqual({
      _aws: {
        Timestamp: at,
        CloudWatchMetrics: [
          {
            Namespace: 'medpay',
            Dimensions: [
              ['service', 'stage'],
              ['service', 'stage', 'channel', 'reason'],
            ],
            Metrics: [{ Name: 'NotificationsRejected', Unit: 'Count' }],
          },
        ],
      },
      service: 'medpay',
      stage: 'prod',
      channel: 'alipay',
      reason: 'BAD_SIGNATURE',
      NotificationsRejected: 2,
    });
    // Every dimension named is a top-level string member, as the specification requires.
    for (const set of doc._aws.CloudWatchMetrics[0].Dimensions)
      for (const name of set) expect(typeof doc[name]).toBe('string');
  });

  it('records measurements in their unit, and a dimension cannot override service or stage', () => {
    const lines: string[] = [];
    const metrics = emfMetrics(
      'prod',
      (l) => lines.push(l),
      () => at,
    );
    metrics.measure('OutboxLagSeconds', 42, 'Seconds', { stage: 'forged' });
    const doc = JSON.parse(lines[0]!);
    expect(doc._aws.CloudWatchMetrics[0].Metrics).toEqual([{ Name: 'OutboxLagSeconds', Unit: 'Seconds' }]);
    expect(doc._aws.CloudWatchMetrics[0].Dimensions).toEqual([['service', 'stage']]);
    expect(doc).toMatchObject({ stage: 'prod', OutboxLagSeconds: 42 });
  });
});
