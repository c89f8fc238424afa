/** The dispute domain: its deadlines, the one that applies now, and the moves its status may make. */
import { describe, expect, it } from 'vitest';
import {
  assertDisputeTransition,
  deadlinesFrom,
  DISPUTE_DEADLINES,
  isDisputeOpen,
  nextDeadline,
  withMessage,
  type Dispute,
} from '../../../lib/domain/dispute';

const opened = new Date('2026-12-06T06:00:00Z');
const dispute: Dispute = {
  disputeId: 'dsp_1',
  source: 'wechatpay',
  status: 'OPEN',
  description: '重复收费',
  openedAt: opened.toISOString(),
  ...deadlinesFrom(opened, DISPUTE_DEADLINES.wechatpay),
  messages: [],
  refundIds: [],
  updatedAt: opened.toISOString(),
};

describe('dispute deadlines', () => {
  it('counts the wallet’s hours from the complaint', () => {
    expect(deadlinesFrom(opened, DISPUTE_DEADLINES.wechatpay)).toEqual({
      replyBy: '2026-12-07T06:00:00.000Z',
      resolveBy: '2026-12-09T06:00:00.000Z',
    });
  });

  it('the first reply’s deadline applies until someone replied, then the resolution’s; none once ended', () => {
    expect(nextDeadline(dispute)).toBe('2026-12-07T06:00:00.000Z');
    expect(nextDeadline({ ...dispute, status: 'REPLIED' })).toBe('2026-12-09T06:00:00.000Z');
    expect(nextDeadline({ ...dispute, status: 'RESOLVED' })).toBeUndefined();
    expect(nextDeadline({ ...dispute, status: 'CLOSED' })).toBeUndefined();
    expect(isDisputeOpen({ status: 'REPLIED' })).toBe(true);
  });
});

describe('dispute status', () => {
  it('moves forward, and an ended dispute only reopens (a repeat complaint)', () => {
    expect(() => assertDisputeTransition('dsp_1', 'OPEN', 'REPLIED')).not.toThrow();
    expect(() => assertDisputeTransition('dsp_1', 'REPLIED', 'RESOLVED')).not.toThrow();
    expect(() => assertDisputeTransition('dsp_1', 'RESOLVED', 'OPEN')).not.toThrow();
    expect(() => assertDisputeTransition('dsp_1', 'REPLIED', 'OPEN')).toThrow(/cannot become OPEN/);
    expect(() => assertDisputeTransition('dsp_1', 'RESOLVED', 'CLOSED')).toThrow(/cannot become CLOSED/);
  });

  it('keeps each message in order', () => {
    const at = '2026-12-06T07:00:00.000Z';
    const next = withMessage(dispute, { at, from: 'staff', text: '已核实', by: 'staff:s1' });
    expect(next.messages).toEqual([{ at, from: 'staff', text: '已核实', by: 'staff:s1' }]);
    expect(next.updatedAt).toBe(at);
    expect(dispute.messages).toEqual([]);
  });
});
