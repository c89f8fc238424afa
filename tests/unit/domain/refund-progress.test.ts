/**
 * Refund promises (#24) held to the providers' published timing: WeChat 查询单笔退款
 * (pay.weixin.qq.com/docs/merchant/apis/refund/refunds/query-by-out-refund-no.html) "零钱支付的订单退款一般5分钟内
 * 到账，银行卡支付的订单退款一般1-3个工作日到账"; an ABNORMAL refund waits on the hospital's finance promise.
 */
import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  expectedArrival,
  nextStepOf,
  stepsOf,
  withStep,
  DEFAULT_REFUND_POLICY,
  type RefundStep,
} from '../../../lib/domain/refund-progress';

// Friday 2026-12-04 10:00 in Shanghai.
const FRIDAY = new Date('2026-12-04T02:00:00Z');
const accepted: RefundStep[] = [
  { step: 'REQUESTED', at: FRIDAY.toISOString() },
  { step: 'ACCEPTED', at: FRIDAY.toISOString() },
];

describe('working days (Mon–Fri, Asia/Shanghai, configured holidays)', () => {
  it('skips the weekend and the holidays, keeping the time of day', () => {
    expect(addWorkingDays(FRIDAY, 3, []).toISOString()).toBe('2026-12-09T02:00:00.000Z'); // Wednesday
    expect(addWorkingDays(FRIDAY, 3, ['2026-12-07']).toISOString()).toBe('2026-12-10T02:00:00.000Z');
    // Late on Friday in Shanghai is still Friday (UTC says Friday too, but the weekday is Shanghai's).
    const fridayNight = new Date('2026-12-04T15:30:00Z'); // Saturday 23:30 in Shanghai
    expect(addWorkingDays(fridayNight, 1, []).toISOString()).toBe('2026-12-07T15:30:00.000Z'); // Monday
  });
});

describe('expected arrival', () => {
  it('WeChat: 5 minutes to the balance; 3 working days to a card, or while WeChat has not said where', () => {
    const base = { channel: 'wechatpay' as const, steps: accepted };
    expect(
      expectedArrival(
        { ...base, destination: { kind: 'BALANCE', account: '支付用户零钱' } },
        DEFAULT_REFUND_POLICY,
      ),
    ).toEqual(new Date(FRIDAY.getTime() + 5 * 60_000));
    expect(
      expectedArrival(
        { ...base, destination: { kind: 'BANK_CARD', account: '招商银行信用卡0403' } },
        DEFAULT_REFUND_POLICY,
      ),
    ).toEqual(addWorkingDays(FRIDAY, 3, []));
    expect(expectedArrival(base, DEFAULT_REFUND_POLICY)).toEqual(addWorkingDays(FRIDAY, 3, []));
  });

  it('ABNORMAL waits on finance (configurable); re-routed to a card is a card again, to the hospital finance again', () => {
    const since = FRIDAY.toISOString();
    const abnormal = { channel: 'wechatpay' as const, steps: accepted, abnormal: { since } };
    expect(expectedArrival(abnormal, { financeMinutes: 48 * 60, holidays: [] })).toEqual(
      new Date(FRIDAY.getTime() + 48 * 3_600_000),
    );
    const reroute = { by: 'finance:f', at: since };
    expect(
      expectedArrival(
        { ...abnormal, abnormal: { since, reroute: { ...reroute, type: 'USER_BANK_CARD' } } },
        DEFAULT_REFUND_POLICY,
      ),
    ).toEqual(addWorkingDays(FRIDAY, 3, []));
    expect(
      expectedArrival(
        { ...abnormal, abnormal: { since, reroute: { ...reroute, type: 'MERCHANT_BANK_CARD' } } },
        DEFAULT_REFUND_POLICY,
      ),
    ).toEqual(new Date(FRIDAY.getTime() + 24 * 3_600_000));
  });

  it('none once final, and none for Alipay (no published time for a card)', () => {
    const done = [...accepted, { step: 'SUCCEEDED' as const, at: FRIDAY.toISOString() }];
    expect(expectedArrival({ channel: 'wechatpay', steps: done }, DEFAULT_REFUND_POLICY)).toBeUndefined();
    expect(expectedArrival({ channel: 'alipay', steps: accepted }, DEFAULT_REFUND_POLICY)).toBeUndefined();
  });
});

describe('steps and next step', () => {
  const refund = {
    channel: 'wechatpay' as const,
    createdAt: FRIDAY.toISOString(),
    status: 'PROCESSING' as const,
  };

  it('a refund from before #24 shows the steps its times imply; the same step twice in a row is one', () => {
    expect(
      stepsOf({ ...refund, status: 'SUCCEEDED', succeededAt: FRIDAY.toISOString() }).map((s) => s.step),
    ).toEqual(['REQUESTED', 'SUCCEEDED']);
    const once = withStep(refund, { step: 'ACCEPTED', at: FRIDAY.toISOString() }, {}, DEFAULT_REFUND_POLICY);
    const twice = withStep(once, { step: 'ACCEPTED', at: FRIDAY.toISOString() }, {}, DEFAULT_REFUND_POLICY);
    expect(twice.steps.map((s) => s.step)).toEqual(['REQUESTED', 'ACCEPTED']);
    expect(twice.expectedBy).toBe(addWorkingDays(FRIDAY, 3, []).toISOString());
  });

  it('tells the patient where it stands and what happens next', () => {
    expect(nextStepOf({ status: 'PROCESSING', expectedBy: '2026-12-09T02:00:00.000Z' })).toEqual({
      nextStep: 'WAIT',
      message: '退款处理中，预计 2026-12-09 10:00 前到账',
    });
    expect(nextStepOf({ status: 'PROCESSING', abnormal: { since: FRIDAY.toISOString() } }).nextStep).toBe(
      'HOSPITAL',
    );
    expect(nextStepOf({ status: 'FAILED' }).nextStep).toBe('CONTACT_HOSPITAL');
    expect(
      nextStepOf({ status: 'SUCCEEDED', destination: { kind: 'MERCHANT', account: '商户结算银行账户' } })
        .nextStep,
    ).toBe('HOSPITAL');
  });
});
