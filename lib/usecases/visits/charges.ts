/**
 * Add and void charges on an OPEN visit (diagnose first, pay later).
 *
 * Add — primary course:
 *   1. Load the visit; decide (idempotent by chargeId; CHARGE_ID_REUSED for another amount; the visit must
 *      be OPEN; CREDIT_LIMIT_EXCEEDED above the credit left).
 *   2. Write the visit with the new line, guarded by its version, together with the postings
 *      Dr patient receivable / Cr revenue:<category> and the visit's tab balance, in ONE transaction: two
 *      racing charges cannot both pass the credit check (the loser re-reads and decides again).
 * Void — primary course:
 *   1. Only while the visit is OPEN; voiding twice is a no-op.
 *   2. The line is marked voided and the reversing postings are written, in one transaction.
 */
import { Accounts } from '../../domain/ledger/accounts';
import { journalTransaction, reversalOf, txnIdFor } from '../../domain/ledger/journal';
import type { Fen } from '../../domain/money';
import { InvalidStateError, NotFoundError } from '../../domain/errors';
import {
  availableCreditFen,
  decideAddCharge,
  tabFen,
  type ChargeCategory,
  type Visit,
} from '../../domain/visit';
import type { Clock } from '../../ports/clock';
import type { LedgerStore } from '../../ports/ledger-store';
import { retryOnConflict } from '../shared/retry';
import { loadVisit, visitWrite } from './records';

/** Dependencies of the charge use cases. */
export interface ChargeDeps {
  readonly ledger: LedgerStore;
  readonly clock: Clock;
}

/** The versioned write of a visit's new tab; it only goes through while the visit is still OPEN. */
const tabWrite = (next: Visit, version: number) =>
  visitWrite(next, { kind: 'status', status: ['OPEN'], version });

const summary = (v: Visit) => ({
  tabFen: tabFen(v.charges),
  availableCreditFen: availableCreditFen(v.creditLimitFen, tabFen(v.charges)),
});

/** Adds a charge (idempotent by chargeId) and returns the tab and the credit left. */
export function addCharge(
  deps: ChargeDeps,
  visitId: string,
  input: { chargeId: string; category: ChargeCategory; description: string; amountFen: Fen },
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
      entities: [tabWrite(next, version)],
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

/** Voids a charge while the visit is OPEN, with reversing postings; voiding twice changes nothing. */
export function voidCharge(deps: ChargeDeps, visitId: string, chargeId: string) {
  return retryOnConflict(async () => {
    const { value: visit, version } = await loadVisit(deps.ledger, visitId);
    const line = visit.charges.find((c) => c.chargeId === chargeId);
    if (!line) throw new NotFoundError('Charge', chargeId);
    if (line.voided) return { chargeId, ...summary(visit) };
    if (visit.status !== 'OPEN')
      throw new InvalidStateError(
        `Visit ${visitId} is ${visit.status}; charges can be voided only while it is OPEN.`,
        { visitId },
      );
    const added = await deps.ledger.getTransaction(txnIdFor('charge', `${visitId}.${chargeId}`, 'added'));
    if (!added) throw new NotFoundError('Charge posting', chargeId);
    const next: Visit = {
      ...visit,
      charges: visit.charges.map((c) => (c.chargeId === chargeId ? { ...c, voided: true } : c)),
      tabVersion: visit.tabVersion + 1,
    };
    await deps.ledger.commit({
      entities: [tabWrite(next, version)],
      journal: reversalOf(added, txnIdFor('charge', `${visitId}.${chargeId}`, 'voided'), deps.clock.now()),
    });
    return { chargeId, ...summary(next) };
  });
}
