/**
 * EMF documents as the CloudWatch specification ("Specification: Embedded metric format") defines them:
 * `_aws.Timestamp` (epoch ms), `CloudWatchMetrics` with Namespace, Dimensions (arrays of member names that
 * are present at the top level) and Metrics (Name, Unit), and each metric's value as a top-level member.
 */
import { describe, expect, it } from 'vitest';
import { emfMetrics } from '../../../../lib/adapters/system/emf-metrics';

describe('emfMetrics', () => {
  it('writes one valid EMF document per count, on flush', () => {
    const lines: string[] = [];
    const metrics = emfMetrics(
      'prod',
      (l) => lines.push(l),
      () => 1_764_000_000_000,
    );
    metrics.count('IntegrityAlerts', { channel: 'wechatpay' });
    metrics.count('NotificationsRejected', { channel: 'alipay', reason: 'BAD_SIGNATURE' }, 2);
    expect(lines).toEqual([]);
    metrics.flush();
    metrics.flush();
    expect(lines).toHaveLength(2);
    const doc = JSON.parse(lines[1]!);
    expect(doc).toEqual({
      _aws: {
        Timestamp: 1_764_000_000_000,
        CloudWatchMetrics: [
          {
            Namespace: 'medpay',
            Dimensions: [['service', 'stage', 'channel', 'reason']],
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
    for (const name of doc._aws.CloudWatchMetrics[0].Dimensions[0]) expect(typeof doc[name]).toBe('string');
  });
});
