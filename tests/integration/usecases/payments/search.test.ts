/**
 * GET /payments's use case on DynamoDB Local (#14): a HIS finds its order by reference, and a day of 1,000
 * payments is walked page by page with no duplicate and no gap, from the index, never a scan. Filters,
 * patients' scope and foreign cursors too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../../../lib/config/container';
import { businessDayOf } from '../../../../lib/domain/business-day';
import type { Fen } from '../../../../lib/domain/money';
import { createPayment } from '../../../../lib/usecases/payments/create';
import { searchPayments } from '../../../../lib/usecases/payments/search';
import { testDeps } from '../../../support/dynamo';
import { sandboxWithProviders } from '../../../support/sandbox';

const DAY_PAYMENTS = 1_000;
let deps: AppDeps;
let env: Awaited<ReturnType<typeof sandboxWithProviders>>;
const created: string[] = [];
const today = businessDayOf(new Date());

const pay = (d: AppDeps, i: number, referenceId = `HIS-${i}`, patientId = `P${i % 7}`) =>
  createPayment(d, {
    patientId,
    channel: i % 2 ? 'alipay' : 'wechatpay',
    purpose: 'examination',
    referenceId,
    amountFen: (100 + i) as Fen,
    description: '检查费',
    payer: i % 2 ? { alipayUserId: '2088102122524333' } : { wechatOpenId: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
    mode: 'mini-program',
  });

beforeAll(async () => {
  env = await sandboxWithProviders('http://127.0.0.1:9');
  deps = await testDeps({ providers: env.providers });
  for (let start = 0; start < DAY_PAYMENTS; start += 20) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(20, DAY_PAYMENTS - start) }, (_, k) => pay(deps, start + k)),
    );
    created.push(...batch.map((r) => r.payment.paymentId));
  }
  // Another day's payment, of a reference also used today: never in today's pages.
  const yesterday = { now: () => new Date(Date.now() - 86_400_000) };
  await pay({ ...deps, clock: yesterday }, 0, 'HIS-0');
}, 300_000);
afterAll(() => env.sandbox.close());

describe('searchPayments', () => {
  it('walks a day of 1,000 payments in pages with no duplicate and no gap', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await searchPayments(deps, { date: today, limit: 97, cursor });
      seen.push(...page.items.map((p) => p.paymentId));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBeGreaterThanOrEqual(Math.ceil(DAY_PAYMENTS / 97));
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual([...created].sort());
  }, 120_000);

  it('finds a payment by its HIS reference, on its day or any day', async () => {
    const any = await searchPayments(deps, { referenceId: 'HIS-0', limit: 50 });
    expect(any.items).toHaveLength(2);
    const onDay = await searchPayments(deps, { referenceId: 'HIS-0', date: today, limit: 50 });
    expect(onDay.items.map((p) => p.paymentId)).toEqual([created[0]]);
    expect(onDay.items[0]).toMatchObject({ referenceId: 'HIS-0', amountFen: 100, status: 'PENDING' });
  });

  it('filters by status, channel and patient; a patient sees only their own', async () => {
    const mine = await searchPayments(deps, { referenceId: 'HIS-3', limit: 50 }, 'P3');
    expect(mine.items.map((p) => p.paymentId)).toEqual([created[3]]);
    expect((await searchPayments(deps, { referenceId: 'HIS-3', limit: 50 }, 'P4')).items).toEqual([]);
    const alipay = await searchPayments(deps, { referenceId: 'HIS-3', channel: 'wechatpay', limit: 50 });
    expect(alipay.items).toEqual([]);
    expect((await searchPayments(deps, { referenceId: 'HIS-3', status: 'PAID', limit: 50 })).items).toEqual(
      [],
    );
  });

  it('refuses a search without reference or date, and a cursor it did not give for this search', async () => {
    await expect(searchPayments(deps, { limit: 10 })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    const first = await searchPayments(deps, { date: today, limit: 5 });
    await expect(
      searchPayments(deps, { referenceId: 'HIS-0', limit: 5, cursor: first.nextCursor }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(
      searchPayments(deps, { date: today, limit: 5, cursor: 'not-a-cursor' }),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });
});
