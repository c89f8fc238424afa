/**
 * Confirm a visit's credit authorisation, from the provider's notification or from a query.
 *
 * Primary course:
 *   1. The authorised amount must cover the credit limit, in CNY, under the auth number already recorded
 *      (if any), or nothing is believed: an IntegrityAlertError, whatever the visit's state.
 *   2. Only an AWAITING_AUTHORISATION visit becomes OPEN; a repeated confirmation changes nothing.
 *   3. The visit is written OPEN with the authorisation (auth_no / Pay Score order_id) and a
 *      VisitAuthorised event, in one transaction.
 */
import { assertAgrees, IntegrityAlertError } from '../../domain/errors';
import type { Fen } from '../../domain/money';
import type { Visit } from '../../domain/visit';
import { transition, type Versioned } from '../shared/records';
import { retryOnConflict } from '../shared/retry';
import { creditFor, type VisitDeps, type VisitRecordDeps } from './deps';
import { loadVisit } from './records';
import { newEvent } from '../shared/events';

/** What the provider reports about a confirmed authorisation. */
export interface Confirmed {
  readonly authNo: string;
  readonly authorisedFen?: Fen;
  readonly creditFen?: Fen;
  readonly currency?: string;
  readonly at: Date;
}

/** Moves the visit to OPEN; 'already-applied' when it was confirmed before. */
export function confirmAuthorisation(deps: VisitRecordDeps, visitId: string, confirmed: Confirmed) {
  return retryOnConflict(async (): Promise<'applied' | 'already-applied'> => {
    const { value: visit, version } = await loadVisit(deps.ledger, visitId);
    // The provider must have authorised at least the credit limit, in CNY, under the auth number recorded.
    const authorisedFen = confirmed.authorisedFen ?? visit.creditLimitFen;
    if (authorisedFen < visit.creditLimitFen || (confirmed.currency ?? 'CNY') !== 'CNY')
      throw new IntegrityAlertError(`visit ${visitId}`, [
        {
          field: 'authorisedFen',
          recorded: `${visit.creditLimitFen} CNY`,
          reported: `${authorisedFen} ${confirmed.currency ?? 'CNY'}`,
        },
      ]);
    assertAgrees(`visit ${visitId}`, { authNo: [visit.authorisation?.authNo, confirmed.authNo] });
    if (visit.status !== 'AWAITING_AUTHORISATION') return 'already-applied';
    const next: Visit = {
      ...visit,
      status: 'OPEN',
      authorisation: {
        authNo: confirmed.authNo,
        authorisedFen: visit.creditLimitFen,
        ...(confirmed.creditFen !== undefined ? { creditFen: confirmed.creditFen } : {}),
        confirmedAt: confirmed.at.toISOString(),
      },
    };
    await transition(deps.ledger, deps.ledger.visits, { value: visit, version }, next, {
      events: [
        newEvent(deps, 'VisitAuthorised', {
          visitId,
          patientId: visit.patientId,
          creditLimitFen: visit.creditLimitFen,
        }),
      ],
    });
    return 'applied';
  });
}

/** Asks the provider about an unconfirmed authorisation and confirms it if the patient did (lost notification). */
export async function refreshAuthorisation(deps: VisitDeps, current: Versioned<Visit>) {
  const visit = current.value;
  const state = await creditFor(deps, visit.channel).queryAuthorisation(visit.outOrderNo, visit.outRequestNo);
  if (state.status !== 'AUTHORISED' || !state.authNo) return state.status;
  await confirmAuthorisation(deps, visit.visitId, {
    authNo: state.authNo,
    authorisedFen: state.authorisedFen,
    creditFen: state.creditFen,
    at: state.confirmedAt ?? deps.clock.now(),
  });
  return state.status;
}
