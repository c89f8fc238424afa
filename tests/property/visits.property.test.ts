import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../lib/config/container';
import { businessDayOf } from '../../lib/domain/business-day';
import { netOf as netOfPostings } from '../../lib/domain/ledger/journal';
import { fen } from '../../lib/domain/money';
import { tabFen } from '../../lib/domain/visit';
import { addCharge } from '../../lib/usecases/visits/add-charge';
import { voidCharge } from '../../lib/usecases/visits/void-charge';
import { loadVisit } from '../../lib/usecases/visits/records';
import { testDeps } from '../support/dynamo';
import { seedVisit } from '../support/visits';

const op = fc.oneof(
  fc.record({
    kind: fc.constant('add' as const),
    line: fc.nat(12),
    amount: fc.integer({ min: 1, max: 60_000 }),
  }),
  fc.record({ kind: fc.constant('void' as const), line: fc.nat(12) }),
);

describe('charges and voids under random concurrent batches', () => {
  let deps: AppDeps;
  beforeAll(async () => {
    deps = await testDeps();
  });

  it('never takes the tab above the credit limit, and the ledger stays balanced and equal to the tab', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 10_000, max: 300_000 }),
        fc.array(fc.array(op, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 5 }),
        async (limit, batches) => {
          const visitId = `vis_prop${run}`;
          const patientId = `PP${Date.now()}${run++}`;
          await seedVisit(deps.ledger, visitId, patientId, 'OPEN', { creditLimitFen: fen(limit) });
          for (const batch of batches) {
            // Each batch runs concurrently: the credit check must hold under races.
            await Promise.allSettled(
              batch.map((o) =>
                o.kind === 'add'
                  ? addCharge(deps, visitId, {
                      chargeId: `L${o.line}`,
                      category: 'laboratory',
                      description: 'x',
                      amountFen: fen(o.amount),
                    })
                  : voidCharge(deps, visitId, `L${o.line}`),
              ),
            );
            const visit = (await loadVisit(deps.ledger, visitId)).value;
            expect(tabFen(visit.charges)).toBeLessThanOrEqual(limit);
            expect((await deps.ledger.balanceOf(`patient:${patientId}:receivable` as never)).netFen).toBe(
              tabFen(visit.charges),
            );
          }
          let revenue = 0;
          for await (const txn of deps.ledger.journalForDay(businessDayOf(new Date()))) {
            if (txn.refs.visitId !== visitId) continue;
            expect(netOfPostings(txn.postings)).toBe(0);
            revenue -= netOfPostings(txn.postings.filter((p) => p.account === 'revenue:laboratory'));
          }
          const visit = (await loadVisit(deps.ledger, visitId)).value;
          expect(revenue).toBe(tabFen(visit.charges));
        },
      ),
      { numRuns: 25 },
    );
    // 25 runs of concurrent batches: about 6 s alone, near the default 30 s on the suite's busy DynamoDB Local.
  }, 120_000);
});
