import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../lib/domain/errors';
import { addFen, fen, formatYuan, isFen, parseYuan, subtractFen } from '../../../lib/domain/money';

describe('fen', () => {
  it.each([0, 1, 2500, Number.MAX_SAFE_INTEGER])('accepts %d', (v) => expect(fen(v)).toBe(v));
  it.each([-1, 0.5, 12.34, Number.NaN, Infinity, Number.MAX_SAFE_INTEGER + 1])('refuses %d', (v) => {
    expect(() => fen(v)).toThrow(ValidationError);
    expect(isFen(v)).toBe(false);
  });
  it('adds and subtracts without leaving the safe range or going negative', () => {
    expect(addFen(fen(100), fen(250))).toBe(350);
    expect(subtractFen(fen(300), fen(100))).toBe(200);
    expect(() => subtractFen(fen(100), fen(101))).toThrow(ValidationError);
    expect(() => addFen(fen(Number.MAX_SAFE_INTEGER), fen(1))).toThrow(ValidationError);
  });
});

describe('parseYuan', () => {
  it.each([
    ['0', 0],
    ['0.01', 1],
    ['12.3', 1230],
    ['12.34', 1234],
    ['100', 10000],
    ['0.29', 29], // 0.29 * 100 === 28.999999999999996 in floating point
    ['1.15', 115], // 1.15 * 100 === 114.99999999999999
    ['90071992547409.91', 9007199254740991],
  ])('parses %s as %d fen exactly', (yuan, expected) => expect(parseYuan(yuan)).toBe(expected));

  it.each(['', '-1.00', '1.234', '01.00', '1e3', '1,000.00', 'abc', '.5', '1.'])('refuses %j', (yuan) => {
    expect(() => parseYuan(yuan)).toThrow(ValidationError);
  });
});

describe('formatYuan', () => {
  it.each([
    [0, '0.00'],
    [1, '0.01'],
    [1230, '12.30'],
    [9007199254740991, '90071992547409.91'],
  ])('formats %d fen as %s', (amount, yuan) => expect(formatYuan(fen(amount))).toBe(yuan));
});
