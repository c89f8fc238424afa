/**
 * Confirm the delivery of shipped copies.
 *
 * Primary course:
 *   1. Staff, or the courier's signed callback, confirm delivery.
 *   2. SHIPPED → DELIVERED with a CopyRequestDelivered event naming who confirmed, once; confirming twice
 *      changes nothing.
 */
import { assertCopyRequestTransition, type CopyRequest } from '../../domain/copy-request';
import { retryOnConflict } from '../shared/retry';
import { advanceCopyRequest, loadCopyRequest, type CopyRecordDeps } from './records';

/** Confirms delivery; confirming twice changes nothing. */
export function deliverCopyRequest(deps: CopyRecordDeps, id: string, by: string): Promise<CopyRequest> {
  return retryOnConflict(async () => {
    const current = await loadCopyRequest(deps.ledger, id);
    const request = current.value;
    if (request.status === 'DELIVERED') return request;
    assertCopyRequestTransition(id, request.status, 'DELIVERED');
    const next: CopyRequest = {
      ...request,
      status: 'DELIVERED',
      deliveredAt: deps.clock.now().toISOString(),
    };
    return advanceCopyRequest(deps, current, next, 'CopyRequestDelivered', { confirmedBy: by });
  });
}
