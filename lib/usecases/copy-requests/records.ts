/** How copy requests are stored through the LedgerStore, and the ports and policy their use cases need. */
import { assertCopyRequestTransition, type CopyRequest, type CopyTariff } from '../../domain/copy-request';
import type { EntityExpectation, LedgerStore } from '../../ports/ledger-store';
import type { PaymentDeps } from '../payments/deps';
import { entityWrite, loadOwned, transition, type EntityKind, type Versioned } from '../shared/records';
import type { DomainEventType } from '../../domain/events';
import { newEvent } from '../shared/events';

/** Dependencies of the copy-request use cases: the payment capability plus the tariff. */
export interface CopyRequestDeps extends PaymentDeps {
  readonly copies: { readonly tariff: CopyTariff };
}

/** byTime partition of requests awaiting payment, sorted by their deadline (the expiry job reads it). */
export const AWAITING_PAYMENT = 'COPY#AWAITING_PAYMENT';

/** How copy requests are stored: those awaiting payment by their deadline (the expiry job reads it). */
export const COPY_REQUEST: EntityKind<CopyRequest> = {
  type: 'copyrequest',
  id: (r) => r.copyRequestId,
  indexes: (r) =>
    r.status === 'AWAITING_PAYMENT' && r.payBy
      ? { byTime: { partition: AWAITING_PAYMENT, sort: `${r.payBy}#${r.copyRequestId}` } }
      : undefined,
  assertTransition: assertCopyRequestTransition,
};

/** The EntityWrite of a copy request's new state. */
export const copyRequestWrite = (request: CopyRequest, expect: EntityExpectation) =>
  entityWrite(COPY_REQUEST, request, expect);

/** Loads a copy request; NOT_FOUND also for another patient's. */
export const loadCopyRequest = (ledger: LedgerStore, id: string, patientScope?: string) =>
  loadOwned<CopyRequest>(ledger, 'copyrequest', 'Copy request', id, patientScope);

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
  await transition(deps.ledger, COPY_REQUEST, current, next, {
    events: [copyRequestEvent(deps, eventType, next, extra)],
  });
  return next;
}
