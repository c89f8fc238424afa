import { describe, expect, it } from 'vitest';
import { hisReceiver } from '../../../sandbox/his';

describe("the sandbox's HIS receiver", () => {
  it('records callbacks newest first, and fails the next ones when told', () => {
    const his = hisReceiver();
    his.failNext('demo', 2);
    const headers = {
      'medpay-event-id': 'evt_1',
      'medpay-event-type': 'PaymentSucceeded',
      'medpay-signature': 't=1,v1=ab',
    };
    expect([1, 2, 3].map(() => his.receive('demo', headers, '{}'))).toEqual([500, 500, 200]);
    expect(his.receive('other', {}, 'x')).toBe(200);
    expect(his.received().map((r) => [r.name, r.answered, r.eventId])).toEqual([
      ['other', 200, undefined],
      ['demo', 200, 'evt_1'],
      ['demo', 500, 'evt_1'],
      ['demo', 500, 'evt_1'],
    ]);
    for (let i = 0; i < 300; i++) his.receive('demo', {}, '');
    expect(his.received()).toHaveLength(200);
  });
});
