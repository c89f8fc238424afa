/**
 * The patient authorises medical insurance on a visit's tab (POST /visits/{id}/insurance/preauthorisations).
 *
 * Primary course:
 *   1. Only an insured visit that is OPEN, or SETTLING and waiting at its insurance step, with listed
 *      charges (409 / 400 otherwise).
 *   2. A HELD settlement for the current tab version is returned as it is (idempotent; the new auth code is
 *      not used). A hold whose 6202 went unanswered is resolved by 6301 first (409 while it may still be
 *      answered).
 *   3. A hold for an older tab (a charge was added or voided since) is refunded (6203).
 *   4. The wallet's auth code is exchanged for a payAuthNo, the listed charges are uploaded (6201) and
 *      settled (6202) at once; the split is held bound to the tab version (insurance.ts).
 *   5. A settlement that was waiting for this runs on at once.
 */
import { InvalidStateError } from '../../domain/errors';
import { validPreauth, type InsurancePreauth, type Visit } from '../../domain/visit';
import { transition, type Versioned } from '../shared/records';
import type { VisitDeps } from './deps';
import { releaseHold, resolveOrdering, settleTabInsurance, type VisitInsuranceInput } from './insurance';
import { loadVisit } from './records';
import { runSettlement } from './settle';

/** OPEN, or SETTLING at the insurance step (the settlement waits for the patient). */
function assertMayAuthorise(visit: Visit): void {
  if (!visit.insured)
    throw new InvalidStateError(`Visit ${visit.visitId} is not insured; there is nothing to pre-authorise.`, {
      visitId: visit.visitId,
    });
  const waiting = visit.status === 'SETTLING' && visit.settlement?.step === 'INSURANCE';
  if (visit.status !== 'OPEN' && !waiting)
    throw new InvalidStateError(
      `Visit ${visit.visitId} is ${visit.status}; insurance is authorised while it is OPEN or its settlement waits for it.`,
      { visitId: visit.visitId, status: visit.status },
    );
}

/** Settles the listed charges with insurance and holds the split on the visit; a patient only on their own visit. */
export async function preauthoriseInsurance(
  deps: VisitDeps,
  visitId: string,
  input: VisitInsuranceInput,
  patientScope?: string,
): Promise<InsurancePreauth> {
  let current: Versioned<Visit> = await loadVisit(deps.ledger, visitId, patientScope);
  assertMayAuthorise(current.value);
  current = await resolveOrdering(deps, current);
  if (current.value.insurance?.status === 'ORDERING')
    throw new InvalidStateError(
      `Visit ${visitId} has an insurance settlement on its way; ask again in a minute.`,
      { visitId, preauthId: current.value.insurance.preauthId },
    );
  const valid = validPreauth(current.value, deps.clock.now());
  if (valid) return valid;
  current = await releaseHold(deps, current);
  current = await settleTabInsurance(deps, current, input);
  const held = current.value.insurance as InsurancePreauth;
  if (current.value.status === 'SETTLING' && current.value.settlement) {
    await transition(deps.ledger, deps.ledger.visits, current, {
      ...current.value,
      settlement: { ...current.value.settlement, nextAttemptAt: undefined, lastError: undefined },
    });
    await runSettlement(deps, visitId);
  }
  return held;
}
