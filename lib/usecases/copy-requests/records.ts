/** How copy requests are stored through the LedgerStore, and the ports and policy their use cases need. */
import type { CopyRequest, CopyTariff } from '../../domain/copy-request';
import type { EntityExpectation, EntityWrite, LedgerStore } from '../../ports/ledger-store';
import type { PaymentDeps } from '../payments/deps';
import { loadOwned, type Versioned } from '../shared/records';
import type { DomainEventType } from '../../domain/events';
import { newEvent } from '../shared/events';

/** Dependencies of the copy-request use cases: the payment capability plus the tariff. */
export interface CopyRequestDeps extends PaymentDeps {
  readonly copies: { readonly tariff: CopyTariff };
}

/** byTime partition of requests awaiting payment, sorted by their deadline (the expiry job reads it). */
export const AWAITING_PAYMENT = 'COPY#AWAITING_PAYMENT';

/** The EntityWrite of a copy request's new state, with its outbox-facing index. */
export function copyRequestWrite(request: CopyRequest, expect: EntityExpectation): EntityWrite {
  return {
    type: 'copyrequest',
    id: request.copyRequestId,
    state: request as unknown as Record<string, unknown>,
    expect,
    ...(request.status === 'AWAITING_PAYMENT' && request.payBy
      ? {
          indexes: {
            byTime: { partition: AWAITING_PAYMENT, sort: `${request.payBy}#${request.copyRequestId}` },
          },
        }
      : {}),
  };
}

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
  await deps.ledger.commit({
    entities: [
      copyRequestWrite(next, { kind: 'status', status: [current.value.status], version: current.version }),
    ],
    events: [copyRequestEvent(deps, eventType, next, extra)],
  });
  return next;
}
