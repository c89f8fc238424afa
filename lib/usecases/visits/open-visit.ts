/**
 * Open a credit visit ("diagnose first, pay later").
 *
 * Primary course:
 *   1. The patient may open one: no other visit active, none overdue (PATIENT_OVERDUE).
 *   2. Persist the visit AWAITING_AUTHORISATION and take the patient's credit lock in one transaction,
 *      so two concurrent opens cannot both succeed and a notification never meets an unknown order.
 *   3. Start the authorisation at the provider with deterministic numbers derived from the visitId.
 *   4. Return what the mini-program needs to confirm (`clientParams`).
 */
import type { Channel } from '../../domain/ledger/accounts';
import { assertMayOpenVisit, visitProviderNumbers, type Visit } from '../../domain/visit';
import type { Payer } from '../../ports/payment-provider';
import { creditFor, type VisitDeps } from './deps';
import { loadCreditLock, loadVisit, takeCreditLock, visitWrite } from './records';

/** A validated request to open a visit. */
export interface OpenVisitInput {
  readonly patientId: string;
  readonly channel: Channel;
  readonly payer: Payer;
  readonly insured: boolean;
}

/** Opens the visit and starts its credit authorisation. */
export async function openVisit(deps: VisitDeps, input: OpenVisitInput) {
  const credit = creditFor(deps, input.channel);
  const lock = await loadCreditLock(deps.ledger, input.patientId);
  if (lock?.value.status === 'ACTIVE' && lock.value.visitId) {
    const other = await loadVisit(deps.ledger, lock.value.visitId);
    assertMayOpenVisit(input.patientId, [other.value]);
  }
  const now = deps.clock.now();
  const visitId = deps.ids.next('visit');
  const numbers = visitProviderNumbers(visitId);
  const authoriseBy = new Date(now.getTime() + deps.visits.authoriseWithinMinutes * 60_000);
  const visit: Visit = {
    visitId,
    patientId: input.patientId,
    channel: input.channel,
    status: 'AWAITING_AUTHORISATION',
    insured: input.insured,
    creditLimitFen: deps.visits.creditLimitFen,
    outOrderNo: numbers.outOrderNo,
    outRequestNo: numbers.outRequestNo,
    payer: input.payer,
    createdAt: now.toISOString(),
    authoriseBy: authoriseBy.toISOString(),
    charges: [],
    tabVersion: 0,
  };
  await deps.ledger.commit({
    entities: [visitWrite(visit, { kind: 'absent' }), takeCreditLock(input.patientId, visitId, lock)],
    events: [
      {
        eventId: deps.ids.next('event'),
        type: 'VisitOpened',
        occurredAt: now,
        payload: {
          visitId,
          patientId: input.patientId,
          channel: input.channel,
          creditLimitFen: visit.creditLimitFen,
        },
      },
    ],
  });
  const { clientParams } = await credit.authorise({
    outOrderNo: visit.outOrderNo,
    outRequestNo: visit.outRequestNo,
    amountFen: visit.creditLimitFen,
    title: '就医信用付',
    payer: input.payer,
    expiresAt: authoriseBy,
  });
  return { visit, clientParams };
}
