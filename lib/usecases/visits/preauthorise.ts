/**
 * Pre-authorise medical insurance on a visit's tab.
 *
 * Primary course:
 *   1. Only an insured, OPEN visit with charges can be pre-authorised (409 otherwise).
 *   2. A held pre-authorisation for the current tab version is returned as it is (idempotent).
 *   3. Otherwise the bureau pre-settles the live charges; the split must add up to the tab; it is stored
 *      bound to the tab version, so any later charge or void invalidates it. An older hold is reversed.
 */
import { InvalidStateError, ValidationError } from '../../domain/errors';
import { tabFen, validPreauth, type InsurancePreauth, type Visit } from '../../domain/visit';
import { transition, type Versioned } from '../shared/records';
import { retryOnConflict } from '../shared/retry';
import type { VisitDeps } from './deps';
import { insuranceOf, preSettleTab } from './insurance';
import { loadVisit } from './records';

/** Releases a superseded hold; the bureau also lets it lapse, so a failure here is not fatal. */
async function reverseQuietly(deps: VisitDeps, preauth: InsurancePreauth | undefined) {
  if (preauth?.status !== 'HELD') return;
  await insuranceOf(deps)
    .reverse(preauth.preauthId)
    .catch(() => undefined);
}

/** Pre-authorises insurance for an OPEN visit and stores the hold on it. */
export function preauthoriseInsurance(deps: VisitDeps, visitId: string): Promise<InsurancePreauth> {
  return retryOnConflict(async () => {
    const current: Versioned<Visit> = await loadVisit(deps.ledger, visitId);
    const visit = current.value;
    if (!visit.insured)
      throw new InvalidStateError(`Visit ${visitId} is not insured; there is nothing to pre-authorise.`, {
        visitId,
      });
    if (visit.status !== 'OPEN')
      throw new InvalidStateError(
        `Visit ${visitId} is ${visit.status}; insurance is pre-authorised while it is OPEN.`,
        {
          visitId,
        },
      );
    if (tabFen(visit.charges) === 0)
      throw new ValidationError(`Visit ${visitId} has no charges to pre-authorise.`, [
        { path: 'visitId', message: 'no charges' },
      ]);
    const valid = validPreauth(visit, deps.clock.now());
    if (valid) return valid;
    const held = await preSettleTab(deps, visit);
    await transition(deps.ledger, deps.ledger.visits, current, { ...visit, insurance: held });
    if (visit.insurance?.preauthId !== held.preauthId) await reverseQuietly(deps, visit.insurance);
    return held;
  });
}
