import { describe, expect, it } from 'vitest';
import {
  afterAttempt,
  assertEndpointUrl,
  retryDelayMs,
  subjectOf,
  type CallbackDelivery,
} from '../../../lib/domain/callbacks';
import { timeOfId } from '../../../lib/domain/ids';

describe('callback deliveries', () => {
  it('retry 30 s, 1, 2, 4 … minutes apart, never more than an hour', () => {
    expect([1, 2, 3, 4, 5, 8, 20].map((n) => retryDelayMs(n, 30_000))).toEqual([
      30_000, 60_000, 120_000, 240_000, 480_000, 3_600_000, 3_600_000,
    ]);
  });

  it('end DELIVERED on a 2xx, FAILED when the next try would be past the window', () => {
    const pending: CallbackDelivery = {
      deliveryId: 'dlv_1',
      eventId: 'evt_1',
      eventType: 'PaymentSucceeded',
      endpointId: 'we_1',
      lane: 'we_1:pay_1',
      status: 'PENDING',
      attempts: [],
      nextAttemptAt: '2026-11-25T00:00:00.000Z',
      giveUpAt: '2026-11-25T00:01:00.000Z',
      createdAt: '2026-11-25T00:00:00.000Z',
    };
    const at = '2026-11-25T00:00:00.000Z';
    expect(afterAttempt(pending, { at, httpStatus: 204, durationMs: 3 }, 30_000, true).status).toBe(
      'DELIVERED',
    );
    const retry = afterAttempt(pending, { at, httpStatus: 302, durationMs: 3 }, 30_000, true);
    expect(retry).toMatchObject({ status: 'PENDING', nextAttemptAt: '2026-11-25T00:00:30.000Z' });
    const last = afterAttempt(
      retry,
      { at: '2026-11-25T00:00:30.000Z', error: 'ECONNREFUSED', durationMs: 1 },
      30_000,
      true,
    );
    expect(last.status).toBe('FAILED'); // 00:01:30 would be past giveUpAt
    expect(last.attempts).toHaveLength(2);
  });

  it('order events by the entity they are about', () => {
    expect(subjectOf('evt_1', { refundId: 'rfd_1', paymentId: 'pay_1' })).toBe('pay_1');
    expect(subjectOf('evt_1', { visitId: 'vis_1', paymentId: 'pay_1' })).toBe('vis_1');
    expect(subjectOf('evt_1', {})).toBe('evt_1');
  });

  it('accept https endpoints, and http only where allowed', () => {
    expect(() => assertEndpointUrl('https://his.example/cb', false)).not.toThrow();
    for (const url of ['http://his.example/cb', 'ftp://his.example', 'not a url', 'https://a:b@his.example/'])
      expect(() => assertEndpointUrl(url, false)).toThrow();
    expect(() => assertEndpointUrl('http://127.0.0.1:9/cb', true)).not.toThrow();
  });

  it('read the time of a ULID id (the ULID spec’s example: 01ARYZ6S41… is 1469918176385 ms)', () => {
    expect(timeOfId('evt_01ARYZ6S41TSV4RRFFQ69G5FAV')?.getTime()).toBe(1_469_918_176_385);
    expect(timeOfId('evt_nonsense')).toBeUndefined();
  });
});
