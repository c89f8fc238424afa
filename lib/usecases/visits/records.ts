/** Loading visits as the use cases need them, and the events they raise. */
import type { Visit } from '../../domain/visit';
import type { LedgerStore } from '../../ports/ledger-store';
import { newEvent } from '../shared/events';
import type { VisitDeps } from './deps';
import { loadOwned } from '../shared/records';

/** Loads a visit; NOT_FOUND also for another patient's visit. */
export const loadVisit = (ledger: LedgerStore, visitId: string, patientScope?: string) =>
  loadOwned(ledger.visits, 'Visit', visitId, patientScope);

/** An outbox event about a visit (the hospital's messaging pushes these to the patient). */
export const visitEvent = (
  deps: Pick<VisitDeps, 'ids' | 'clock'>,
  type: 'VisitSettlementStarted' | 'VisitCaptured' | 'VisitPaymentFailed' | 'VisitOverdue' | 'VisitSettled',
  visit: Visit,
  extra: Record<string, unknown> = {},
) => newEvent(deps, type, { visitId: visit.visitId, patientId: visit.patientId, ...extra });
