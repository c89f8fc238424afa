/** A day's visits and copy requests, page by page: every record once, filters, and a patient's own only. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { businessDayOf } from '../../../lib/domain/business-day';
import { searchCopyRequests } from '../../../lib/usecases/copy-requests/get';
import { submitCopyRequest } from '../../../lib/usecases/copy-requests/submit';
import { openVisit } from '../../../lib/usecases/visits/open';
import { searchVisits } from '../../../lib/usecases/visits/get';
import { visitEnv } from '../../support/visit-env';

describe('searching a business day', () => {
  let t: Awaited<ReturnType<typeof visitEnv>>;
  const today = businessDayOf(new Date());
  const copyIds: string[] = [];
  const visitIds: string[] = [];

  beforeAll(async () => {
    t = await visitEnv();
    for (let i = 0; i < 45; i++) {
      const r = await submitCopyRequest(t.deps, {
        patientId: `PS${i % 4}`,
        admissionId: `ADM-${i}`,
        items: ['discharge-summary'],
        copies: 1,
        delivery: { recipient: '张三', phone: '13800000000', address: '广州市天河区某路 1 号' },
      });
      copyIds.push(r.copyRequestId);
    }
    for (let i = 0; i < 6; i++) {
      const { visit } = await openVisit(t.deps, {
        patientId: `PVS${i}`,
        channel: 'wechatpay',
        payer: { wechatOpenId: `o-PVS${i}` },
        insured: false,
      });
      visitIds.push(visit.visitId);
    }
    await t.authorisedVisit('alipay', false).then((v) => visitIds.push(v.visitId));
  });
  afterAll(() => t.close());

  it('walks a day of copy requests with no duplicates or gaps, in submission order', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await searchCopyRequests(t.deps, { date: today, limit: 7, cursor });
      seen.push(...page.items.map((r) => r.copyRequestId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(copyIds);
    const mine = await searchCopyRequests(t.deps, { date: today, limit: 100 }, 'PS1');
    expect(mine.items.map((r) => r.copyRequestId)).toEqual(copyIds.filter((_, i) => i % 4 === 1));
    expect((await searchCopyRequests(t.deps, { date: today, status: 'PAID', limit: 100 })).items).toEqual([]);
    expect((await searchCopyRequests(t.deps, { date: '2020-01-01', limit: 100 })).items).toEqual([]);
    await expect(
      searchCopyRequests(t.deps, { date: today, limit: 5, cursor: 'bm90IGEgY3Vyc29y' }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('lists the day’s visits by status', async () => {
    const all = await searchVisits(t.deps, { date: today, limit: 100 });
    expect(all.items.map((v) => v.visitId)).toEqual(visitIds);
    const open = await searchVisits(t.deps, { date: today, status: 'OPEN', limit: 100 });
    expect(open.items.map((v) => v.visitId)).toEqual(visitIds.slice(-1));
    const waiting = await searchVisits(t.deps, { date: today, status: 'AWAITING_AUTHORISATION', limit: 100 });
    expect(waiting.items).toHaveLength(6);
    expect(
      (await searchVisits(t.deps, { date: today, limit: 100 }, 'PVS2')).items.map((v) => v.visitId),
    ).toEqual([visitIds[2]]);
  });
});
