/** Loading and advancing copy requests, and the ports and policy their use cases need. */
import type { CopyRequest, CopyTariff } from '../../domain/copy-request';
import type { LedgerStore } from '../../ports/ledger-store';
import type { PaymentDeps, RecordDeps } from '../payments/deps';
import { loadOwned, transition, type Versioned } from '../shared/records';
import type { DomainEventType } from '../../domain/events';
import { newEvent } from '../shared/events';

/** What the copy-request use cases that only record need: the store and the tariff. */
export interface CopyRecordDeps extends RecordDeps {
  readonly copies: { readonly tariff: CopyTariff };
}

/** Dependencies of the copy-request use cases that pay, close or refund: the payment capability too. */
export interface CopyRequestDeps extends CopyRecordDeps, PaymentDeps {}

/** Loads a copy request; NOT_FOUND also for another patient's. */
export const loadCopyRequest = (ledger: LedgerStore, id: string, patientScope?: string) =>
  loadOwned(ledger.copyRequests, 'Copy request', id, patientScope);

/** An outbox event about a copy request (the hospital's messaging pushes these to the patient). */
export function copyRequestEvent(
  deps: Pick<PaymentDeps, 'ids' | 'clock'>,
  type: Extract<DomainEventType, `CopyRequest${string}`>,
  r: CopyRequest,
  extra: Record<string, unknown> = {},
) {
  return newEvent(deps, type, {
    copyRequestId: r.copyRequestId,
    patientId: r.patientId,
    status: r.status,
    ...extra,
  });
}

/** Writes the request's next state (guarded by its current status and version) with one event. */
export async function advanceCopyRequest(
  deps: Pick<PaymentDeps, 'ledger' | 'ids' | 'clock'>,
  current: Versioned<CopyRequest>,
  next: CopyRequest,
  eventType: Extract<DomainEventType, `CopyRequest${string}`>,
  extra: Record<string, unknown> = {},
) {
  await transition(deps.ledger, deps.ledger.copyRequests, current, next, {
    events: [copyRequestEvent(deps, eventType, next, extra)],
  });
  return next;
}
