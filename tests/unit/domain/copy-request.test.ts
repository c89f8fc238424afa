import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assertCopyRequestTransition, copyFee, type CopyTariff } from '../../../lib/domain/copy-request';
import { fen } from '../../../lib/domain/money';

const tariff: CopyTariff = {
  perPageFen: fen(50),
  extraCopyBp: 5_000,
  courierFen: fen(1_500),
  courierFenByProvince: { 广东省: fen(1_000), 西藏自治区: fen(3_500) },
  payWithinDays: 7,
};

describe('copy fee', () => {
  it('charges the first copy per page, further copies at their share, plus the courier by province', () => {
    expect(copyFee(tariff, 42, 1)).toMatchObject({ pagesFen: 2_100, courierFen: 1_500, totalFen: 3_600 });
    expect(copyFee(tariff, 42, 3, '广东省')).toMatchObject({
      pagesFen: 2_100 + 2_100,
      courierFen: 1_000,
      totalFen: 5_200,
    });
    expect(copyFee(tariff, 1, 2, '西藏自治区')).toMatchObject({ pagesFen: 75, courierFen: 3_500 });
    expect(copyFee(tariff, 7, 1, '未知省').courierFen).toBe(1_500);
  });

  it('refuses pages that are not a positive whole number', () => {
    for (const pages of [0, -1, 1.5, Number.NaN])
      expect(() => copyFee(tariff, pages, 1)).toThrow(/positive whole number/);
  });

  it('is always whole fen and the parts add up to the total', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5_000 }),
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 0, max: 10_000 }),
        (pages, copies, bp) => {
          const fee = copyFee({ ...tariff, extraCopyBp: bp }, pages, copies);
          expect(Number.isSafeInteger(fee.pagesFen)).toBe(true);
          expect(fee.pagesFen + fee.courierFen).toBe(fee.totalFen);
          expect(fee.pagesFen).toBeGreaterThanOrEqual(pages * 50);
        },
      ),
    );
  });

  it('guards the lifecycle', () => {
    expect(() => assertCopyRequestTransition('c', 'SUBMITTED', 'PAID')).toThrow(/cannot become PAID/);
    expect(() => assertCopyRequestTransition('c', 'SHIPPED', 'CANCELLED')).toThrow();
    expect(() => assertCopyRequestTransition('c', 'PAID', 'CANCELLED')).not.toThrow();
    expect(() => assertCopyRequestTransition('c', 'AWAITING_PAYMENT', 'EXPIRED')).not.toThrow();
  });
});
