/**
 * Open a credit visit ("diagnose first, pay later").
 *
 * Primary course:
 *   1. The patient may open one: no other visit active, none overdue (PATIENT_OVERDUE).
 *   2. Derive the visitId from the request's key (a re-execution finds the first attempt's visit and goes
 *      on from step 3). Persist the visit AWAITING_AUTHORISATION and take the patient's credit lock in one transaction,
 *      so two concurrent opens cannot both succeed and a notification never meets an unknown order.
 *   3. Start the authorisation at the provider with deterministic numbers derived from the visitId.
 *   4. Return what the mini-program needs to confirm (`clientParams`).
 */
import type { Channel } from '../../domain/ledger/accounts';
import { assertMayOpenVisit, visitProviderNumbers, type Visit } from '../../domain/visit';
import type { Payer } from '../../ports/payment-provider';
import { creditFor, type VisitDeps } from './deps';
import { loadVisit } from './records';
import { newEvent } from '../shared/events';
import { firstAttempt } from '../shared/records';

/** A validated request to open a visit. */
export interface OpenVisitInput {
  readonly patientId: string;
  readonly channel: Channel;
  readonly payer: Payer;
  readonly insured: boolean;
  /** The request's key: a re-execution finds the first attempt's visit. */
  readonly requestKey?: string;
}

/** Opens the visit and starts its credit authorisation. */
export async function openVisit(deps: VisitDeps, input: OpenVisitInput) {
  creditFor(deps, input.channel); // 400 when the channel has no credit product
  // An earlier attempt of the same request opened it: start (or re-show) the same authorisation.
  const { id: visitId, earlier } = await firstAttempt(
    deps.ids,
    deps.ledger.visits,
    'visit',
    input.requestKey,
  );
  if (earlier) return authorise(deps, earlier);
  const lock = await deps.ledger.creditLocks.get(input.patientId);
  if (lock?.value.status === 'ACTIVE' && lock.value.visitId) {
    const other = await loadVisit(deps.ledger, lock.value.visitId);
    assertMayOpenVisit(input.patientId, [other.value]);
  }
  const now = deps.clock.now();
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
    entities: [
      deps.ledger.visits.write(visit, { kind: 'absent' }),
      deps.ledger.creditLocks.take(input.patientId, visitId, lock),
      deps.ledger.visits.dayListing(visit),
    ],
    events: [
      newEvent(deps, 'VisitOpened', {
        visitId,
        patientId: input.patientId,
        channel: input.channel,
        creditLimitFen: visit.creditLimitFen,
      }),
    ],
  });
  return authorise(deps, visit);
}

/** Starts the authorisation at the provider (deterministic numbers: a repeat finds the same order). */
async function authorise(deps: VisitDeps, visit: Visit) {
  if (visit.status !== 'AWAITING_AUTHORISATION') return { visit, clientParams: {} };
  const { clientParams } = await creditFor(deps, visit.channel).authorise({
    outOrderNo: visit.outOrderNo,
    outRequestNo: visit.outRequestNo,
    amountFen: visit.creditLimitFen,
    title: '就医信用付',
    payer: visit.payer as Payer,
    expiresAt: new Date(visit.authoriseBy),
  });
  return { visit, clientParams };
}
