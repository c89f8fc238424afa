/**
 * The records office completes the copies: the fee is fixed by the tariff and the patient is asked to pay.
 *
 * Primary course:
 *   1. SUBMITTED → AWAITING_PAYMENT with the fee breakdown (pages, copies, courier by province) and the
 *      payment deadline, and a CopyRequestAwaitingPayment event ("your copies are ready, fee ¥X, pay by …").
 *   2. Completing again with the same page count returns the same result; another page count is 409.
 */
import { InvalidStateError } from '../../domain/errors';
import { assertCopyRequestTransition, copyFee, type CopyRequest } from '../../domain/copy-request';
import { retryOnConflict } from '../shared/retry';
import { advanceCopyRequest, loadCopyRequest, type CopyRecordDeps } from './records';

const DAY_MS = 86_400_000;

/** Completes the request with its page count. */
export function completeCopyRequest(deps: CopyRecordDeps, id: string, pages: number): Promise<CopyRequest> {
  return retryOnConflict(async () => {
    const current = await loadCopyRequest(deps.ledger, id);
    const request = current.value;
    if (request.fee) {
      if (request.fee.pages !== pages)
        throw new InvalidStateError(
          `Copy request ${id} was completed with ${request.fee.pages} pages; it cannot be completed again with ${pages}.`,
          { id, pages: request.fee.pages },
        );
      return request;
    }
    assertCopyRequestTransition(id, request.status, 'AWAITING_PAYMENT');
    const now = deps.clock.now();
    const { tariff } = deps.copies;
    const fee = copyFee(tariff, pages, request.copies, request.delivery.province);
    const next: CopyRequest = {
      ...request,
      status: 'AWAITING_PAYMENT',
      completedAt: now.toISOString(),
      fee,
      payBy: new Date(now.getTime() + tariff.payWithinDays * DAY_MS).toISOString(),
    };
    return advanceCopyRequest(deps, current, next, 'CopyRequestAwaitingPayment', {
      totalFen: fee.totalFen,
      payBy: next.payBy,
    });
  });
}
