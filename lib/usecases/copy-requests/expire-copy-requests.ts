/**
 * Expire unpaid copy requests (scheduled).
 *
 *   1. List the requests AWAITING_PAYMENT whose pay-by time has passed.
 *   2. Reload each; still unpaid and overdue: move it to EXPIRED with its event.
 *   3. Close its pending payment at the provider.
 *   4. Report how many expired and how many failed (they are retried on the next run).
 *
 * Requests not paid by their deadline expire (a pending payment is closed at the provider; if
 * it was paid at the last moment, the PaymentSucceeded reaction refunds it).
 */
import type { CopyRequest } from '../../domain/copy-request';
import { closePayment } from '../payments/close';
import { advanceCopyRequest, loadCopyRequest, type CopyRequestDeps } from './records';

/** Expires the overdue requests (up to `limit` per run); returns how many expired. */
export async function expireCopyRequests(deps: CopyRequestDeps, limit = 100) {
  const now = deps.clock.now();
  let expired = 0;
  let failed = 0;
  for (const due of await deps.ledger.copyRequests.awaitingPaymentDueBy(now.toISOString(), limit)) {
    try {
      const current = await loadCopyRequest(deps.ledger, due.copyRequestId);
      const request = current.value;
      if (request.status !== 'AWAITING_PAYMENT' || !request.payBy || new Date(request.payBy) > now) continue;
      const next: CopyRequest = { ...request, status: 'EXPIRED', expiredAt: now.toISOString() };
      await advanceCopyRequest(deps, current, next, 'CopyRequestExpired', { payBy: request.payBy });
      if (request.paymentId) await closePayment(deps, request.paymentId).catch(() => undefined);
      expired += 1;
    } catch {
      failed += 1;
    }
  }
  return { expired, failed };
}
