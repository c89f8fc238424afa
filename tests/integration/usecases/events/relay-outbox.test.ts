import { describe, expect, it } from 'vitest';
import { journalTransaction } from '../../../../lib/domain/ledger/journal';
import type { OutboxEvent } from '../../../../lib/ports/ledger-store';
import { relayOutbox } from '../../../../lib/usecases/events/relay-outbox';
import { testDeps } from '../../../support/dynamo';
import { recorded } from '../../../support/metrics';

describe('relayOutbox', () => {
  it('publishes each committed event once, and keeps events when publishing fails', async () => {
    const published: OutboxEvent[] = [];
    let failing = true;
    const at = new Date('2026-03-01T02:00:00Z');
    const deps = await testDeps({
      clock: { now: () => new Date(at.getTime() + 90_000) },
      publisher: {
        publish: (events) => {
          if (failing) return Promise.reject(new Error('bus down'));
          published.push(...events);
          return Promise.resolve();
        },
      },
    });
    for (let i = 0; i < 30; i++) {
      await deps.ledger.commit({
        entities: [],
        journal: journalTransaction({
          txnId: `test:e${i}:posted`,
          occurredAt: at,
          postings: [
            { account: 'patient:PE:receivable', side: 'debit', amountFen: 1 },
            { account: 'revenue:other', side: 'credit', amountFen: 1 },
          ],
        }),
        events: [
          {
            eventId: `evt_${String(i).padStart(3, '0')}`,
            type: 'PaymentSucceeded',
            occurredAt: new Date(at.getTime() + i),
            payload: { i },
          },
        ],
      });
    }
    await expect(relayOutbox(deps, 10)).rejects.toThrow('bus down');
    expect(await deps.outbox.pending(100)).toHaveLength(30);

    failing = false;
    expect(await relayOutbox(deps, 10)).toEqual({ published: 30 });
    expect(published.map((e) => e.eventId)).toEqual(
      Array.from({ length: 30 }, (_, i) => `evt_${String(i).padStart(3, '0')}`),
    );
    expect(await relayOutbox(deps, 10)).toEqual({ published: 0 });
    expect(await deps.outbox.pending(100)).toHaveLength(0);
    // The oldest waiting event's age on each run: 90 s twice (nothing left the first time), then none waits.
    const lag = recorded(deps)
      .recorded.filter((r) => r.name === 'OutboxLagSeconds')
      .map((r) => r.value);
    expect(lag).toEqual([90, 90, 0]);
  });
});
