/**
 * Ship paid copies.
 *
 * Primary course:
 *   1. Staff record carrier and tracking number; an unpaid request cannot be shipped (409).
 *   2. PAID → SHIPPED with a CopyRequestShipped event ("shipped, tracking …"), in one transaction; shipping
 *      again with the same tracking number returns the same result.
 */
import { InvalidStateError } from '../../domain/errors';
import { assertCopyRequestTransition, type CopyRequest } from '../../domain/copy-request';
import { retryOnConflict } from '../shared/retry';
import { advanceCopyRequest, loadCopyRequest, type CopyRecordDeps } from './records';

/** Records the shipment of a paid request. */
export function shipCopyRequest(
  deps: CopyRecordDeps,
  id: string,
  input: { carrier: string; trackingNo: string },
): Promise<CopyRequest> {
  return retryOnConflict(async () => {
    const current = await loadCopyRequest(deps.ledger, id);
    const request = current.value;
    if (request.shipment) {
      if (request.shipment.trackingNo !== input.trackingNo || request.shipment.carrier !== input.carrier)
        throw new InvalidStateError(
          `Copy request ${id} was already shipped with ${request.shipment.carrier} ${request.shipment.trackingNo}.`,
          { id },
        );
      return request;
    }
    if (request.status !== 'PAID')
      throw new InvalidStateError(`Copy request ${id} is ${request.status}; only paid copies are shipped.`, {
        id,
        status: request.status,
      });
    assertCopyRequestTransition(id, request.status, 'SHIPPED');
    const next: CopyRequest = {
      ...request,
      status: 'SHIPPED',
      shipment: { ...input, shippedAt: deps.clock.now().toISOString() },
    };
    return advanceCopyRequest(deps, current, next, 'CopyRequestShipped', input);
  });
}
