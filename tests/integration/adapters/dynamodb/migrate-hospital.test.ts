/**
 * The migration to hospitals: a ledger written in the layout before hospitals (no key prefix) moves into the
 * default hospital with every balance, journal day, entity, index, event and idempotency record unchanged.
 */
import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { dynamoIdempotencyStore } from '../../../../lib/adapters/dynamodb/idempotency-store';
import {
  hospitalKeys,
  isLegacyKey,
  legacyKeys,
  type TableKeys,
} from '../../../../lib/adapters/dynamodb/keys';
import { dynamoLedgerStore } from '../../../../lib/adapters/dynamodb/ledger-store';
import { migrateToHospital } from '../../../../lib/adapters/dynamodb/migrate-hospital';
import { dynamoOutboxStore } from '../../../../lib/adapters/dynamodb/outbox-store';
import { businessDayOf } from '../../../../lib/domain/business-day';
import { Accounts, type AccountId } from '../../../../lib/domain/ledger/accounts';
import { journalTransaction, movementsByAccount } from '../../../../lib/domain/ledger/journal';
import { fen } from '../../../../lib/domain/money';
import type { Payment } from '../../../../lib/domain/payment';
import { createTestTable } from '../../../support/dynamo';

const DAYS = ['2026-03-01T02:00:00Z', '2026-03-02T03:00:00Z', '2026-03-03T04:00:00Z'].map((d) => new Date(d));
const clock = { now: () => new Date('2026-03-03T05:00:00Z') };

/** A captured payment as the repositories store it. */
const payment = (i: number, at: Date): Payment => ({
  paymentId: `pay_${i}`,
  patientId: `P${i % 7}`,
  channel: i % 2 ? 'alipay' : 'wechatpay',
  purpose: 'registration',
  referenceId: `REF${i % 5}`,
  description: 'registration',
  amountFen: fen(100 + i),
  currency: 'CNY',
  outTradeNo: `OT${i}`,
  status: 'PAID',
  createdAt: at.toISOString(),
  expiresAt: at.toISOString(),
  refundedFen: fen(0),
  refundingFen: fen(0),
  refundCount: 0,
  refundIds: [],
});

/** Writes a single-hospital ledger in `keys`' layout: charges, captures, refunds, visits' tabs, events. */
async function writeLedger(doc: DynamoDBDocumentClient, tableName: string, keys: TableKeys) {
  const ledger = dynamoLedgerStore(doc, tableName, keys);
  for (let i = 0; i < 60; i++) {
    const at = DAYS[i % DAYS.length] as Date;
    const p = payment(i, at);
    const patient = Accounts.patientReceivable(p.patientId);
    await ledger.commit({
      entities: [ledger.payments.write(p, { kind: 'absent' }), ledger.payments.listing(p)],
      journal: journalTransaction({
        txnId: `payment:${p.paymentId}:captured`,
        occurredAt: at,
        refs: { paymentId: p.paymentId },
        postings: [
          { account: Accounts.channelClearing(p.channel), side: 'debit', amountFen: p.amountFen },
          { account: Accounts.revenue('registration'), side: 'credit', amountFen: p.amountFen },
        ],
      }),
      events: [
        {
          eventId: `evt_${i}`,
          type: 'PaymentSucceeded',
          occurredAt: at,
          payload: { paymentId: p.paymentId },
        },
      ],
    });
    await ledger.commit({
      entities: [],
      journal: journalTransaction({
        txnId: `charge:c${i}:added`,
        occurredAt: at,
        refs: { chargeId: `c${i}` },
        postings: [
          { account: patient, side: 'debit', amountFen: fen(10 + i) },
          { account: Accounts.visitTab(`V${i % 4}`), side: 'debit', amountFen: fen(5) },
          { account: Accounts.revenue('examination'), side: 'credit', amountFen: fen(15 + i) },
        ],
      }),
    });
  }
  const idempotency = dynamoIdempotencyStore(
    doc,
    tableName,
    clock,
    { ttlSec: 86_400, retryAfterSec: 1 },
    keys,
  );
  await idempotency.begin('scope-1', 'hash-1', { lockMs: 10_000 });
  await idempotency.complete('scope-1', 'hash-1', { statusCode: 201, headers: {}, body: '{"ok":true}' });
}

/** Every tracked balance and each day's movements per account, as the ledger in `keys` reads them. */
async function books(doc: DynamoDBDocumentClient, tableName: string, keys: TableKeys) {
  const ledger = dynamoLedgerStore(doc, tableName, keys);
  const accounts: AccountId[] = [
    ...Array.from({ length: 7 }, (_, i) => Accounts.patientReceivable(`P${i}`)),
    ...Array.from({ length: 4 }, (_, i) => Accounts.visitTab(`V${i}`)),
  ];
  const balances = await Promise.all(accounts.map((a) => ledger.balanceOf(a)));
  const days: Record<string, Record<string, number>> = {};
  for (const at of DAYS) {
    const day = businessDayOf(at);
    const net: Record<string, number> = {};
    let count = 0;
    for await (const txn of ledger.journalForDay(day)) {
      count++;
      for (const [account, m] of movementsByAccount(txn))
        net[account] = (net[account] ?? 0) + m.debitFen - m.creditFen;
    }
    days[day] = { ...net, transactions: count };
  }
  return { balances, days };
}

const scanAll = async (doc: DynamoDBDocumentClient, tableName: string) =>
  (await doc.send(new ScanCommand({ TableName: tableName, ConsistentRead: true }))).Items ?? [];

describe('migrating a single-hospital table to the default hospital', () => {
  let doc: DynamoDBDocumentClient;
  let tableName: string;
  let before: Awaited<ReturnType<typeof books>>;
  const moved = hospitalKeys('default');

  beforeAll(async () => {
    ({ doc, tableName } = await createTestTable());
    await writeLedger(doc, tableName, legacyKeys);
    before = await books(doc, tableName, legacyKeys);
  });

  it('moves every item, and the default hospital reads the same balances, journal days and records', async () => {
    expect(before.balances.some((b) => b.netFen !== 0)).toBe(true);
    const report = await migrateToHospital(doc, tableName, 'default');
    expect(report.conflicts).toEqual([]);
    expect(report.moved).toBeGreaterThan(60 * 4);
    const items = await scanAll(doc, tableName);
    expect(items.filter((i) => isLegacyKey(String(i.pk)))).toEqual([]);
    expect(items.every((i) => String(i.pk).startsWith('H#default#'))).toBe(true);

    expect(await books(doc, tableName, moved)).toEqual(before);
    const ledger = dynamoLedgerStore(doc, tableName, moved);
    expect((await ledger.payments.byOutTradeNo('alipay', 'OT7'))?.value.paymentId).toBe('pay_7');
    expect((await ledger.payments.ofReference('REF2')).length).toBe(12);
    const day = businessDayOf(DAYS[0] as Date);
    expect((await ledger.payments.pageOfDay(day, { limit: 100 })).values.length).toBe(20);
    const outbox = dynamoOutboxStore(doc, tableName, moved);
    expect((await outbox.pageOfDay(day, undefined, 100)).events.length).toBe(20);
    expect((await outbox.pending(100)).length).toBe(60);
    const idempotency = dynamoIdempotencyStore(
      doc,
      tableName,
      clock,
      { ttlSec: 86_400, retryAfterSec: 1 },
      moved,
    );
    expect(await idempotency.begin('scope-1', 'hash-1', { lockMs: 10_000 })).toMatchObject({
      kind: 'completed',
      response: { statusCode: 201 },
    });
    // The legacy layout now reads nothing.
    expect(await dynamoLedgerStore(doc, tableName, legacyKeys).payments.get('pay_7')).toBeUndefined();
  });

  it('run again, moves nothing and changes nothing', async () => {
    const report = await migrateToHospital(doc, tableName, 'default');
    expect(report).toMatchObject({ moved: 0, conflicts: [] });
    expect(await books(doc, tableName, moved)).toEqual(before);
  });

  it('merges a balance the new code already started into the moved one, and leaves a taken entity key for a person', async () => {
    const fresh = await createTestTable();
    await writeLedger(fresh.doc, fresh.tableName, legacyKeys);
    const legacy = await books(fresh.doc, fresh.tableName, legacyKeys);
    // After the deploy, before the migration: one charge to P1 in the new layout, and an entity under a taken id.
    const ledger = dynamoLedgerStore(fresh.doc, fresh.tableName, moved);
    await ledger.commit({
      entities: [ledger.payments.write(payment(3, DAYS[0] as Date), { kind: 'absent' })],
      journal: journalTransaction({
        txnId: 'charge:late:added',
        occurredAt: DAYS[2] as Date,
        refs: {},
        postings: [
          { account: Accounts.patientReceivable('P1'), side: 'debit', amountFen: fen(999) },
          { account: Accounts.revenue('examination'), side: 'credit', amountFen: fen(999) },
        ],
      }),
    });
    const report = await migrateToHospital(fresh.doc, fresh.tableName, 'default');
    expect(report.conflicts).toEqual(['PAYMENT#pay_3 STATE']);
    const p1 = await ledger.balanceOf(Accounts.patientReceivable('P1'));
    const legacyP1 = legacy.balances.find((b) => b.account === Accounts.patientReceivable('P1'));
    expect(p1.netFen).toBe((legacyP1?.netFen ?? 0) + 999);
    // It writes and moves a second whole ledger: on a busy DynamoDB Local (the suite shares one) that takes
    // about 30 s, the default timeout.
  }, 120_000);
});
