/**
 * Fiscal e-receipts (docs/receipts.md): PaymentSucceeded and RefundSucceeded bring the payment's receipts in
 * line (issue, 冲红, reissue for what is left), VisitSettled a pay-later visit's; the 15-minute schedule sweeps today's and yesterday's
 * payments for receipts still due (the platform was out, or refused). A failure of the platform never fails
 * the event: the receipt waits, PENDING, for the sweep.
 */
import type { EventBridgeEvent } from 'aws-lambda';
import { providerDeps } from '../../lib/config/providers';
import { jobHandler, type Composed, type JobInput } from '../../lib/http/job';
import { forEachHospital } from '../../lib/usecases/shared/hospitals';
import { sweepReceipts, syncReceipt, syncVisitReceipt } from '../../lib/usecases/receipts/sync-receipt';

type Detail = { paymentId?: string; visitId?: string; hospitalId?: string };

/** One payment's event, or (no detail-type: the schedule) the sweep. */
export const handler = jobHandler(
  'Receipts',
  async ({ event, deps }: JobInput<EventBridgeEvent<string, Detail>, Composed<typeof providerDeps>>) => {
    // PaymentSucceeded or RefundSucceeded name the payment; the schedule ("Scheduled Event") sweeps.
    if (event['detail-type'] === 'PaymentSucceeded' || event['detail-type'] === 'RefundSucceeded') {
      const { hospitalId = deps.hospitalId, paymentId = '' } = event.detail;
      const scoped = await deps.inHospital(deps, hospitalId);
      const receipt = await syncReceipt(scoped, paymentId);
      return { paymentId, status: receipt?.status ?? 'NONE' };
    }
    if (event['detail-type'] === 'VisitSettled') {
      const { hospitalId = deps.hospitalId, visitId = '' } = event.detail;
      const receipt = await syncVisitReceipt(await deps.inHospital(deps, hospitalId), visitId);
      return { visitId, status: receipt?.status ?? 'NONE' };
    }
    return forEachHospital(deps, async (scoped) => ({ moved: await sweepReceipts(scoped) }));
  },
  providerDeps,
);
