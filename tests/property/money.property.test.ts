import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fen, formatYuan, parseYuan } from '../../lib/domain/money';

describe('yuan ↔ fen', () => {
  it('round-trips every safe fen amount exactly through a yuan string', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (amount) => {
        expect(parseYuan(formatYuan(fen(amount)))).toBe(amount);
      }),
      { numRuns: 2_000 },
    );
  });

  it('round-trips every canonical yuan string exactly through fen', () => {
    const yuan = fc
      .tuple(fc.bigInt({ min: 0n, max: 90_071_992_547_408n }), fc.integer({ min: 0, max: 99 }))
      .map(([whole, cents]) => `${whole}.${cents.toString().padStart(2, '0')}`);
    fc.assert(
      fc.property(yuan, (s) => {
        expect(formatYuan(parseYuan(s))).toBe(s);
      }),
      { numRuns: 2_000 },
    );
  });
});
