import { beforeAll, describe, expect, it } from 'vitest';
import { dynamoLedgerStore } from '../../../../lib/adapters/dynamodb/ledger-store';
import { dynamoEntityTable, type EntityTable } from '../../../../lib/adapters/dynamodb/entity-table';
import { businessDayOf } from '../../../../lib/domain/business-day';
import {
  ConcurrentModificationError,
  InvalidStateError,
  NotFoundError,
  ValidationError,
} from '../../../../lib/domain/errors';
import { Accounts } from '../../../../lib/domain/ledger/accounts';
import { journalTransaction, netOf, type JournalTransaction } from '../../../../lib/domain/ledger/journal';
import type { LedgerStore } from '../../../../lib/ports/ledger-store';
import { createTestTable } from '../../../support/dynamo';
import { hospitalKeys } from '../../../../lib/adapters/dynamodb/keys';

/** The hospital these records belong to (the default hospital of the test and bench configurations). */
const HOSPITAL = hospitalKeys('default');

const at = new Date('2026-03-01T17:30:00Z'); // 01:30 on 2 March in Shanghai

function charge(id: string, patientId: string, amountFen: number, occurredAt = at): JournalTransaction {
  return journalTransaction({
    txnId: `charge:${id}:added`,
    occurredAt,
    refs: { chargeId: id },
    postings: [
      { account: Accounts.patientReceivable(patientId), side: 'debit', amountFen },
      { account: Accounts.revenue('examination'), side: 'credit', amountFen },
    ],
  });
}

async function collect(iterable: AsyncIterable<JournalTransaction>): Promise<JournalTransaction[]> {
  const out: JournalTransaction[] = [];
  for await (const t of iterable) out.push(t);
  return out;
}

describe('dynamoLedgerStore', () => {
  let ledger: LedgerStore;
  let entities: EntityTable;
  beforeAll(async () => {
    const { doc, tableName } = await createTestTable();
    ledger = dynamoLedgerStore(doc, tableName, HOSPITAL);
    entities = dynamoEntityTable(doc, tableName, HOSPITAL);
  });

  it('commits the entity, the journal and the tracked balance together', async () => {
    const outcome = await ledger.commit({
      entities: [
        { type: 'charge', id: 'c1', state: { status: 'ADDED', amountFen: 1200 }, expect: { kind: 'absent' } },
      ],
      journal: charge('c1', 'P1', 1200),
    });
    expect(outcome).toBe('committed');
    expect(await entities.getEntity('charge', 'c1')).toMatchObject({
      version: 1,
      state: { status: 'ADDED', amountFen: 1200 },
    });
    expect(await ledger.getTransaction('charge:c1:added')).toMatchObject({
      txnId: 'charge:c1:added',
      refs: { chargeId: 'c1' },
    });
    expect(await ledger.balanceOf(Accounts.patientReceivable('P1'))).toMatchObject({
      debitFen: 1200,
      creditFen: 0,
      netFen: 1200,
    });
  });

  it('reports a replayed txnId as already applied and posts nothing twice', async () => {
    const change = {
      entities: [
        { type: 'charge', id: 'c2', state: { status: 'ADDED' }, expect: { kind: 'absent' as const } },
      ],
      journal: charge('c2', 'P2', 500),
    };
    expect(await ledger.commit(change)).toBe('committed');
    expect(await ledger.commit(change)).toBe('already-applied');
    expect(await ledger.commit({ entities: [], journal: charge('c2', 'P2', 500) })).toBe('already-applied');
    expect((await ledger.balanceOf(Accounts.patientReceivable('P2'))).debitFen).toBe(500);
  });

  it('moves an entity through its state machine and refuses a stale transition with INVALID_STATE', async () => {
    await ledger.commit({
      entities: [{ type: 'payment', id: 'p1', state: { status: 'PENDING' }, expect: { kind: 'absent' } }],
    });
    await ledger.commit({
      entities: [
        {
          type: 'payment',
          id: 'p1',
          state: { status: 'PAID' },
          expect: { kind: 'status', status: ['PENDING'] },
        },
      ],
      journal: charge('p1-capture', 'P3', 100),
    });
    expect(await entities.getEntity('payment', 'p1')).toMatchObject({
      version: 2,
      state: { status: 'PAID' },
    });

    const stale = ledger.commit({
      entities: [
        {
          type: 'payment',
          id: 'p1',
          state: { status: 'CLOSED' },
          expect: { kind: 'status', status: ['PENDING'] },
        },
      ],
      journal: charge('p1-close', 'P3', 100),
    });
    await expect(stale).rejects.toThrow(InvalidStateError);
    await expect(stale).rejects.toMatchObject({
      code: 'INVALID_STATE',
      context: { status: 'PAID', expected: ['PENDING'] },
    });
    // Nothing of the refused change was written.
    expect(await ledger.getTransaction('charge:p1-close:added')).toBeUndefined();
    expect((await ledger.balanceOf(Accounts.patientReceivable('P3'))).debitFen).toBe(100);
  });

  it('refuses a stale version with CONCURRENT_MODIFICATION, a duplicate create, and a missing entity', async () => {
    await ledger.commit({
      entities: [{ type: 'visit', id: 'v1', state: { status: 'OPEN' }, expect: { kind: 'absent' } }],
    });
    await ledger.commit({
      entities: [
        { type: 'visit', id: 'v1', state: { status: 'OPEN', n: 1 }, expect: { kind: 'version', version: 1 } },
      ],
    });
    await expect(
      ledger.commit({
        entities: [
          {
            type: 'visit',
            id: 'v1',
            state: { status: 'OPEN', n: 2 },
            expect: { kind: 'version', version: 1 },
          },
        ],
      }),
    ).rejects.toMatchObject({ code: 'CONCURRENT_MODIFICATION', context: { actualVersion: 2 } });
    await expect(
      ledger.commit({
        entities: [{ type: 'visit', id: 'v1', state: { status: 'OPEN' }, expect: { kind: 'absent' } }],
      }),
    ).rejects.toThrow(ConcurrentModificationError);
    await expect(
      ledger.commit({
        entities: [{ type: 'visit', id: 'nope', state: {}, expect: { kind: 'version', version: 1 } }],
      }),
    ).rejects.toThrow(NotFoundError);
  });

  it('lets exactly one of two racing transitions win', async () => {
    await ledger.commit({
      entities: [{ type: 'payment', id: 'race', state: { status: 'PENDING' }, expect: { kind: 'absent' } }],
    });
    const attempt = (n: number) =>
      ledger.commit({
        entities: [
          {
            type: 'payment',
            id: 'race',
            state: { status: 'PAID', by: n },
            expect: { kind: 'status', status: ['PENDING'] },
          },
        ],
        journal: charge(`race-${n}`, 'P4', 700),
      });
    const results = await Promise.allSettled([attempt(1), attempt(2), attempt(3)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((await ledger.balanceOf(Accounts.patientReceivable('P4'))).debitFen).toBe(700);
  });

  it('lists a business day (Asia/Shanghai) across every shard, and nothing from the next day', async () => {
    const { doc, tableName } = await createTestTable();
    const store = dynamoLedgerStore(doc, tableName, HOSPITAL);
    for (let i = 0; i < 25; i++)
      await store.commit({ entities: [], journal: charge(`day-${i}`, `PD${i}`, 100 + i) });
    await store.commit({
      entities: [],
      journal: charge('next-day', 'PX', 1, new Date('2026-03-02T16:00:00Z')),
    });
    const day = await collect(store.journalForDay(businessDayOf(at)));
    expect(day).toHaveLength(25);
    expect(new Set(day.map((t) => t.txnId)).size).toBe(25);
    expect(netOf(day.flatMap((t) => t.postings))).toBe(0);
    expect(await collect(store.journalForDay(businessDayOf(new Date('2026-03-02T16:00:00Z'))))).toHaveLength(
      1,
    );
  });

  it('writes outbox events in the same transaction, once', async () => {
    const event = { eventId: 'evt_1', type: 'ChargeAdded', occurredAt: at, payload: { chargeId: 'c9' } };
    expect(await ledger.commit({ entities: [], journal: charge('c9', 'P9', 900), events: [event] })).toBe(
      'committed',
    );
    expect(await ledger.commit({ entities: [], journal: charge('c9', 'P9', 900), events: [event] })).toBe(
      'already-applied',
    );
  });

  it('keeps no balance item for hot accounts and says how to get their totals', async () => {
    await expect(ledger.balanceOf(Accounts.channelClearing('alipay'))).rejects.toThrow(ValidationError);
  });
});
