import { describe, expect, it } from 'vitest';
import {
  businessDayBounds,
  businessDayOf,
  parseBusinessDay,
  toShanghaiIso,
} from '../../../lib/domain/business-day';
import { ValidationError } from '../../../lib/domain/errors';

describe('businessDayOf', () => {
  it('uses the Asia/Shanghai calendar day, not the UTC one', () => {
    expect(businessDayOf(new Date('2026-03-01T15:59:59.999Z'))).toBe('2026-03-01');
    expect(businessDayOf(new Date('2026-03-01T16:00:00.000Z'))).toBe('2026-03-02');
  });
  it('has bounds that contain exactly its instants', () => {
    const { start, end } = businessDayBounds(parseBusinessDay('2026-03-02'));
    expect(start.toISOString()).toBe('2026-03-01T16:00:00.000Z');
    expect(end.toISOString()).toBe('2026-03-02T16:00:00.000Z');
    expect(businessDayOf(start)).toBe('2026-03-02');
    expect(businessDayOf(new Date(end.getTime() - 1))).toBe('2026-03-02');
  });
  it('formats instants with the +08:00 offset', () => {
    expect(toShanghaiIso(new Date('2026-03-01T16:30:00.000Z'))).toBe('2026-03-02T00:30:00.000+08:00');
  });
});

describe('parseBusinessDay', () => {
  it.each(['2026-02-30', '2026-13-01', '26-01-01', '2026-1-1', 'today', ''])('refuses %j', (d) => {
    expect(() => parseBusinessDay(d)).toThrow(ValidationError);
  });
  it('accepts a leap day', () => expect(parseBusinessDay('2028-02-29')).toBe('2028-02-29'));
});
