/**
 * A verified complaint notification (webhook): it names the complaint only, and reading it needs the
 * merchant's signing key, which the webhooks never hold. So the notice is written to the outbox as
 * ComplaintReceived, in the default hospital, and answered at once; the subscriber with the providers reads
 * and applies it (sync-complaint.ts). A replayed notification only queues one more read, which changes
 * nothing the second time.
 */
import type { ProviderEvent } from '../../ports/payment-provider';
import type { LedgerStore } from '../../ports/ledger-store';
import type { Clock } from '../../ports/clock';
import type { IdGenerator } from '../../ports/id-generator';
import { newEvent } from '../shared/events';

/** Queues the complaint for reading; returns the webhook's outcome. */
export async function receiveComplaint(
  deps: { ledger: LedgerStore; ids: IdGenerator; clock: Clock },
  event: Extract<ProviderEvent, { kind: 'complaint.changed' }>,
): Promise<'complaint-queued'> {
  await deps.ledger.commit({
    entities: [],
    events: [
      newEvent(deps, 'ComplaintReceived', {
        channel: event.channel,
        complaintId: event.complaintId,
        ...(event.action ? { action: event.action } : {}),
        ...(event.subMerchant ? { subMerchant: event.subMerchant } : {}),
      }),
    ],
  });
  return 'complaint-queued';
}
