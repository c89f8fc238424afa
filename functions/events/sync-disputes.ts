/**
 * Disputes (docs/disputes.md): ComplaintReceived (a verified complaint notification, queued by the webhook,
 * which holds no signing key) is read at the wallet and brought into its hospital's disputes; the hourly
 * schedule re-reads every open wallet complaint, in case a notification never came, and counts the overdue
 * disputes for the DisputesOverdue alarm.
 */
import type { EventBridgeEvent } from 'aws-lambda';
import { providerDeps } from '../../lib/config/providers';
import type { ComplaintNotice } from '../../lib/usecases/disputes/sync-complaint';
import { jobHandler, type Composed, type JobInput } from '../../lib/http/job';
import { forEachHospital } from '../../lib/usecases/shared/hospitals';
import { sweepDisputes } from '../../lib/usecases/disputes/inbox';
import { syncComplaint } from '../../lib/usecases/disputes/sync-complaint';

/** One complaint's notice, or (no detail-type: the schedule) the sweep. */
export const handler = jobHandler(
  'Disputes',
  async ({
    event,
    deps,
  }: JobInput<EventBridgeEvent<string, ComplaintNotice>, Composed<typeof providerDeps>>) => {
    if (event['detail-type'] === 'ComplaintReceived') {
      const { channel, complaintId, action, subMerchant } = event.detail;
      return {
        outcome: await syncComplaint(deps, {
          channel,
          complaintId,
          ...(action ? { action } : {}),
          ...(subMerchant ? { subMerchant } : {}),
        }),
      };
    }
    return forEachHospital(deps, (scoped) => sweepDisputes(scoped));
  },
  providerDeps,
);
