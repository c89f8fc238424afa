import { beforeAll, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../../../lib/config/container';
import { fen } from '../../../../lib/domain/money';
import { CreditLimitExceededError, type VisitStatus } from '../../../../lib/domain/visit';
import { addCharge } from '../../../../lib/usecases/visits/add-charge';
import { voidCharge } from '../../../../lib/usecases/visits/void-charge';
import { seedVisit } from '../../../support/visits';
import { testDeps } from '../../../support/dynamo';

describe('visit charges (seeded visits)', () => {
  let deps: AppDeps;
  beforeAll(async () => {
    deps = await testDeps();
  });

  const seed = (visitId: string, patientId: string, status: VisitStatus = 'OPEN') =>
    seedVisit(deps.ledger, visitId, patientId, status);
  const line = (chargeId: string, amountFen: number) => ({
    chargeId,
    category: 'laboratory' as const,
    description: '血常规',
    amountFen: fen(amountFen),
  });

  it('accrues charges on the tab and the patient receivable, once per chargeId', async () => {
    await seed('vis_a', 'PV1');
    expect(await addCharge(deps, 'vis_a', line('L1', 25_000))).toEqual({
      chargeId: 'L1',
      tabFen: 25_000,
      availableCreditFen: 75_000,
    });
    expect(await addCharge(deps, 'vis_a', line('L1', 25_000))).toEqual({
      chargeId: 'L1',
      tabFen: 25_000,
      availableCreditFen: 75_000,
    });
    await expect(addCharge(deps, 'vis_a', line('L1', 26_000))).rejects.toMatchObject({
      code: 'CHARGE_ID_REUSED',
    });
    expect((await deps.ledger.balanceOf('patient:PV1:receivable' as never)).netFen).toBe(25_000);
  });

  it('refuses a charge above the credit left, telling how much is left', async () => {
    await seed('vis_b', 'PV2');
    await addCharge(deps, 'vis_b', line('L1', 90_000));
    await expect(addCharge(deps, 'vis_b', line('L2', 10_001))).rejects.toBeInstanceOf(
      CreditLimitExceededError,
    );
    await expect(addCharge(deps, 'vis_b', line('L2', 10_001))).rejects.toMatchObject({
      code: 'CREDIT_LIMIT_EXCEEDED',
      context: { availableCreditFen: 10_000 },
    });
  });

  it('lets concurrent charges pass the credit check only while credit is left', async () => {
    await seed('vis_c', 'PV3');
    const results = await Promise.allSettled(
      [1, 2, 3, 4, 5].map((i) => addCharge(deps, 'vis_c', line(`L${i}`, 30_000))),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    for (const r of results)
      if (r.status === 'rejected') expect((r.reason as { code: string }).code).toBe('CREDIT_LIMIT_EXCEEDED');
    expect((await deps.ledger.balanceOf('patient:PV3:receivable' as never)).netFen).toBe(90_000);
  });

  it('voids a charge with reversing postings, once', async () => {
    await seed('vis_d', 'PV4');
    await addCharge(deps, 'vis_d', line('L1', 4_000));
    await addCharge(deps, 'vis_d', line('L2', 6_000));
    expect(await voidCharge(deps, 'vis_d', 'L1')).toEqual({
      chargeId: 'L1',
      tabFen: 6_000,
      availableCreditFen: 94_000,
    });
    expect(await voidCharge(deps, 'vis_d', 'L1')).toMatchObject({ tabFen: 6_000 });
    expect((await deps.ledger.balanceOf('patient:PV4:receivable' as never)).netFen).toBe(6_000);
    expect((await deps.ledger.getTransaction('charge:vis_d.L1:voided'))?.refs.reverses).toBe(
      'charge:vis_d.L1:added',
    );
    await expect(voidCharge(deps, 'vis_d', 'nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses charges and voids on a visit that is not OPEN', async () => {
    await seed('vis_e', 'PV5', 'SETTLING');
    await expect(addCharge(deps, 'vis_e', line('L1', 1))).rejects.toMatchObject({ code: 'INVALID_STATE' });
  });
});
