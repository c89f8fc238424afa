/** Loading a dispute as its caller may see it, and the event every dispute step publishes. */
import type { Dispute } from '../../domain/dispute';
import { InvalidStateError, NotFoundError } from '../../domain/errors';
import type { ComplaintDesk } from '../../ports/complaint-desk';
import type { Channel } from '../../domain/ledger/accounts';
import { providerFor, type PaymentDeps } from '../payments/deps';
import type { DomainEvent } from '../../domain/events';
import type { LedgerStore } from '../../ports/ledger-store';
import type { Clock } from '../../ports/clock';
import type { IdGenerator } from '../../ports/id-generator';
import { newEvent } from '../shared/events';
import { loadOrNotFound, type Versioned } from '../shared/records';

/** Loads a dispute; a patient (patientScope) sees only their own, else NOT_FOUND (no enumeration). */
export async function loadDispute(
  ledger: LedgerStore,
  disputeId: string,
  patientScope?: string,
): Promise<Versioned<Dispute>> {
  const found = await loadOrNotFound(ledger.disputes, 'Dispute', disputeId);
  if (patientScope !== undefined && found.value.patientId !== patientScope)
    throw new NotFoundError('Dispute', disputeId);
  return found;
}

/** The events a dispute's moves publish. */
export type DisputeEventType = 'DisputeOpened' | 'DisputeResolved' | 'DisputeClosed';

/** The DisputeOpened / DisputeResolved / DisputeClosed event of a dispute as it now stands. */
export function disputeEvent(
  deps: { ids: IdGenerator; clock: Clock },
  type: DisputeEventType,
  d: Dispute,
): DomainEvent {
  return newEvent(deps, type, {
    disputeId: d.disputeId,
    source: d.source,
    status: d.status,
    resolveBy: d.resolveBy,
    ...(d.paymentId ? { paymentId: d.paymentId } : {}),
    ...(d.patientId ? { patientId: d.patientId } : {}),
    ...(d.provider ? { complaintId: d.provider.complaintId } : {}),
  });
}

/** The complaint desk of a channel in `deps`' hospital. */
export function complaintDesk(deps: PaymentDeps, channel: Channel): ComplaintDesk {
  const desk = providerFor(deps, channel).complaints;
  if (!desk) throw new InvalidStateError(`${channel} has no complaint desk here.`, { channel });
  return desk;
}

/** The complaint desk of a dispute's wallet; undefined for a dispute opened with the hospital. */
export function deskOf(deps: PaymentDeps, d: Dispute): ComplaintDesk | undefined {
  return d.source === 'patient' || !d.provider ? undefined : complaintDesk(deps, d.source);
}
