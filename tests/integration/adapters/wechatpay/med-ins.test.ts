import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../../../lib/config/container';
import { fen } from '../../../../lib/domain/money';
import { addCharge } from '../../../../lib/usecases/visits/add-charge';
import { preauthoriseInsurance } from '../../../../lib/usecases/visits/preauthorise';
import { openVisit } from '../../../../lib/usecases/visits/open';
import { loadVisit } from '../../../../lib/usecases/visits/records';
import { settleVisit } from '../../../../lib/usecases/visits/settle';
import { netOf, visitEnv } from '../../../support/visit-env';

describe('WeChat medical insurance mixed orders (/v3/med-ins/orders) against the sandbox', () => {
  let t: Awaited<ReturnType<typeof visitEnv>>;
  beforeAll(async () => {
    t = await visitEnv();
  });
  afterAll(() => t.close());

  it('pre-settles through the bureau, carries the split in a CASH_AND_INSURANCE order, settles and reverses', async () => {
    const gateway = t.env.insurance.medIns;
    const split = await gateway.preSettle({
      visitId: 'vis_MEDINS1',
      patientId: 'PMI1',
      tabVersion: 1,
      charges: [{ chargeId: 'L1', category: 'laboratory', amountFen: fen(20_000) }],
      payer: { wechatOpenId: 'o-mi' },
    });
    expect(split).toMatchObject({ insuredFen: 14_000, personalAccountFen: 6_000, selfPayFen: 0 });
    const order = t.env.sandbox.credit.medIns.get(split.preauthId);
    expect(order?.request).toMatchObject({
      mix_pay_type: 'CASH_AND_INSURANCE',
      total_fee: 20_000,
      med_ins_gov_fee: 14_000,
      med_ins_self_fee: 6_000,
      med_ins_cash_fee: 0,
      wechat_pay_cash_fee: 0,
    });
    // WeChat pays the insured part with the bureau shortly after: until then settle says "not yet" (503).
    await expect(gateway.settle(split.preauthId)).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
    await new Promise((r) => setTimeout(r, 120));
    expect(await gateway.settle(split.preauthId)).toMatchObject({
      settlementId: expect.any(String) as string,
    });
    expect(order).toMatchObject({ mixPayStatus: 'MIX_PAY_SUCCESS', medInsPayStatus: 'MED_INS_PAY_SUCCESS' });
    await gateway.reverse(split.preauthId);
    expect(order).toMatchObject({ mixPayStatus: 'MIX_PAY_REFUND', medInsPayStatus: 'MED_INS_PAY_REFUND' });
    expect(t.env.sandbox.bureau.preauths.get(String(order?.payOrderId))?.status).toBe('REVERSED');
  });

  it('settles a Pay Score visit whose insured part goes through WeChat medical insurance', async () => {
    const deps: AppDeps = { ...t.deps, insurance: t.env.insurance.medIns };
    const patientId = `PMI${Date.now()}`;
    const { visit, clientParams } = await openVisit(deps, {
      patientId,
      channel: 'wechatpay',
      payer: { wechatOpenId: `o-${patientId}` },
      insured: true,
    });
    await t.authorise('wechatpay', visit.outOrderNo, clientParams);
    await addCharge(deps, visit.visitId, {
      chargeId: 'RX',
      category: 'prescription',
      description: 'rx',
      amountFen: fen(30_000),
    });
    const hold = await preauthoriseInsurance(deps, visit.visitId);
    expect(hold).toMatchObject({ insuredFen: 15_000, personalAccountFen: 10_000, selfPayFen: 5_000 });
    await new Promise((r) => setTimeout(r, 120)); // WeChat has paid the insured part with the bureau
    await settleVisit(deps, visit.visitId, { requestedBy: 'staff:S' });
    let settled = (await loadVisit(deps.ledger, visit.visitId)).value;
    for (let i = 0; i < 50 && settled.status !== 'SETTLED'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      settled = (await loadVisit(deps.ledger, visit.visitId)).value; // PAYSCORE.USER_PAID finishes it
    }
    expect(settled.settlement).toMatchObject({
      insuredFen: 15_000,
      personalAccountFen: 10_000,
      capturedFen: 5_000,
    });
    expect(netOf(await t.journalOf(visit.visitId), 'insurance:receivable')).toBe(25_000);
  });
});
