/**
 * Add a charge to an OPEN visit (diagnose first, pay later).
 *
 * Primary course:
 *   1. Load the visit; decide (idempotent by chargeId; CHARGE_ID_REUSED for another amount; the visit must
 *      be OPEN; CREDIT_LIMIT_EXCEEDED above the credit left).
 *   2. Write the visit with the new line, guarded by its version, together with the postings
 *      Dr patient receivable / Cr revenue:<category> and the visit's tab balance, in ONE transaction: two
 *      racing charges cannot both pass the credit check (the loser re-reads and decides again).
 */
import { Accounts } from '../../domain/ledger/accounts';
import { journalTransaction, txnIdFor } from '../../domain/ledger/journal';
import type { Fen } from '../../domain/money';
import { decideAddCharge, type ChargeCategory, type ChargeListing, type Visit } from '../../domain/visit';
import { retryOnConflict } from '../shared/retry';
import { loadVisit } from './records';

import { summary, tabWrite, type ChargeDeps } from './charges';

/** Adds a charge (idempotent by chargeId) and returns the tab and the credit left. */
export function addCharge(
  deps: ChargeDeps,
  visitId: string,
  input: {
    chargeId: string;
    category: ChargeCategory;
    description: string;
    amountFen: Fen;
    listing?: ChargeListing;
  },
) {
  return retryOnConflict(async () => {
    const { value: visit, version } = await loadVisit(deps.ledger, visitId);
    if (decideAddCharge(visit, input) === 'duplicate') return { chargeId: input.chargeId, ...summary(visit) };
    const next: Visit = {
      ...visit,
      charges: [...visit.charges, { ...input, voided: false }],
      tabVersion: visit.tabVersion + 1,
    };
    await deps.ledger.commit({
      entities: [tabWrite(deps.ledger, next, version)],
      journal: journalTransaction({
        txnId: txnIdFor('charge', `${visitId}.${input.chargeId}`, 'added'),
        occurredAt: deps.clock.now(),
        refs: { visitId, chargeId: input.chargeId, category: input.category },
        postings: [
          { account: Accounts.patientReceivable(visit.patientId), side: 'debit', amountFen: input.amountFen },
          { account: Accounts.revenue(input.category), side: 'credit', amountFen: input.amountFen },
        ],
      }),
    });
    return { chargeId: input.chargeId, ...summary(next) };
  });
}
