/** Valid provider notifications about something medpay never created: kept for reconciliation, never credited. */
import type { Clock } from '../../ports/clock';
import type { LedgerStore } from '../../ports/ledger-store';

/** Records an orphan notification once (a repeat of the same notification is not an error). */
export async function recordOrphan(
  deps: { ledger: LedgerStore; clock: Clock },
  event: { channel: string; kind: string; notificationId: string },
  reference: string,
): Promise<'orphan'> {
  const now = deps.clock.now().toISOString();
  await deps.ledger
    .commit({
      entities: [
        deps.ledger.unmatched.write({
          status: 'UNMATCHED',
          channel: event.channel,
          kind: event.kind,
          notificationId: event.notificationId,
          reference,
          receivedAt: now,
        }),
      ],
    })
    .catch((error: unknown) => {
      if ((error as { code?: string }).code !== 'CONCURRENT_MODIFICATION') throw error; // a repeated orphan
    });
  return 'orphan';
}
