/**
 * The disputes' steps: a patient opens one about a charge; staff reply, refund within it and complete it,
 * each step reaching the wallet first for a wallet complaint (docs/disputes.md).
 */
import { insuredProviderDeps } from '../../../lib/config/insured-providers';
import { patientScope } from '../../../lib/http/auth';
import {
  completeDispute as completeRoute,
  openDispute as openRoute,
  refundDispute as refundRoute,
  replyDispute as replyRoute,
} from '../../../lib/http/contract/disputes';
import { httpHandler } from '../../../lib/http/handler';
import { httpRouter } from '../../../lib/http/router';
import { completeDispute } from '../../../lib/usecases/disputes/complete-dispute';
import { openDispute } from '../../../lib/usecases/disputes/open-dispute';
import { refundDispute } from '../../../lib/usecases/disputes/refund-dispute';
import { replyDispute } from '../../../lib/usecases/disputes/reply-dispute';
import { disputeView, refundView } from '../../../lib/usecases/views';

export const handler = httpRouter([
  [
    openRoute,
    httpHandler(
      openRoute,
      async ({ params, body, caller, deps, requestKey }) => {
        const dispute = await openDispute(deps, {
          paymentId: params.paymentId,
          description: body.description,
          patientScope: patientScope(caller),
          ...(requestKey ? { requestKey } : {}),
        });
        return { status: 201, body: disputeView(dispute, deps.clock.now()) };
      },
      insuredProviderDeps,
    ),
  ],
  [
    replyRoute,
    httpHandler(
      replyRoute,
      async ({ params, body, caller, deps }) => {
        const by = `${caller.role}:${caller.sub}`;
        const dispute = await replyDispute(deps, params.disputeId, { text: body.message, by });
        return { status: 200, body: disputeView(dispute, deps.clock.now()) };
      },
      insuredProviderDeps,
    ),
  ],
  [
    refundRoute,
    httpHandler(
      refundRoute,
      async ({ params, body, caller, deps, requestKey }) => {
        const { dispute, refund } = await refundDispute(deps, params.disputeId, {
          amountFen: body.amountFen,
          by: `${caller.role}:${caller.sub}`,
          ...(requestKey ? { requestKey } : {}),
        });
        return {
          status: 201,
          body: { dispute: disputeView(dispute, deps.clock.now()), refund: refundView(refund) },
        };
      },
      insuredProviderDeps,
    ),
  ],
  [
    completeRoute,
    httpHandler(
      completeRoute,
      async ({ params, body, caller, deps }) => {
        const by = `${caller.role}:${caller.sub}`;
        const dispute = await completeDispute(deps, params.disputeId, { note: body.note, by });
        return { status: 200, body: disputeView(dispute, deps.clock.now()) };
      },
      insuredProviderDeps,
    ),
  ],
]);
