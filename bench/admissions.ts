/**
 * (n) Inpatients for `npm run bench`: posting a charge line against an admission (the HIS posts every line
 * of every day of every stay) vs one bare TransactWriteItems of the same four items. medpay reads the
 * admission and the line (idempotency by chargeId) before its one transaction: admission guarded by its
 * version, the line created once, the journal transaction, the tab's balance.
 */
import { randomBytes } from 'node:crypto';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoLedgerStore } from '../lib/adapters/dynamodb/ledger-store';
import { hospitalKeys } from '../lib/adapters/dynamodb/keys';
import { systemClock } from '../lib/adapters/system/clock';
import { ulidIds } from '../lib/adapters/system/ulid-ids';
import { fen } from '../lib/domain/money';
import { openAdmission } from '../lib/usecases/admissions/open';
import { postCharge } from '../lib/usecases/admissions/post-charge';
import { localTable } from '../scripts/lib/dynamodb-local';
import type { Interleave } from './payments';

const HOSPITAL = hospitalKeys('default');

/** Runs (n) against DynamoDB Local at `endpoint`. */
export async function benchAdmissions(endpoint: string, interleaved: Interleave, iterations: number) {
  const tableName = 'bench-admissions';
  const doc = await localTable(endpoint, tableName);
  const deps = {
    ledger: dynamoLedgerStore(doc, tableName, HOSPITAL),
    clock: systemClock,
    ids: ulidIds(),
    admissions: { depositCapFen: fen(10_000_000), lowBalanceFen: fen(0) },
  };
  // Forty stays, posted to in turn (a ward's day: many admissions, a few lines each).
  const stays = await Promise.all(
    Array.from({ length: 40 }, (_, i) =>
      openAdmission(deps, {
        admissionId: `ZYB${i}-${randomBytes(3).toString('hex')}`,
        patientId: `PB${i}`,
        ward: 'bench',
        requestedDepositFen: fen(100),
      }),
    ),
  );
  const put = (type: string, id: string) => ({
    Put: {
      TableName: tableName,
      Item: { ...HOSPITAL.entity(type, id), state: { status: 'OPEN' }, version: 1 },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  });
  /** The same four items, bare: the admission's write, the line, the journal transaction, the tab's balance. */
  const bare = async (i: number) => {
    const id = `${i}-${randomBytes(4).toString('hex')}`;
    await doc.send(
      new TransactWriteCommand({
        TransactItems: [
          put('floor-admission', id),
          put('floor-charge', id),
          {
            Put: {
              TableName: tableName,
              Item: { ...HOSPITAL.journal(`floor:${id}`), at: new Date().toISOString(), postings: [] },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Update: {
              TableName: tableName,
              Key: HOSPITAL.balance('admission:FLOOR:tab'),
              UpdateExpression: 'ADD debitFen :a',
              ExpressionAttributeValues: { ':a': 100 },
            },
          },
        ],
      }),
    );
  };
  let posted = 0;
  const charges = await interleaved(
    {
      postCharge: () => {
        const k = posted++;
        const stay = stays[k % stays.length];
        return postCharge(deps, stay?.admissionId ?? '', {
          chargeId: `L${k}`,
          category: 'bed',
          description: '床位费',
          amountFen: fen(100),
        });
      },
      floorBareTransactWrite: (i) => bare(i),
    },
    iterations,
  );
  const ratio = Number(
    ((charges.postCharge?.medianMs ?? 0) / (charges.floorBareTransactWrite?.medianMs ?? 1)).toFixed(2),
  );
  return { charges, ratios: { postCharge_vs_bareTransactWrite: ratio } };
}

/** Prints (n). */
export function printAdmissions(r: Awaited<ReturnType<typeof benchAdmissions>>) {
  console.log(
    '\n(n) an admission charge (two reads at once + one TransactWriteItems: admission, line, journal, tab balance) vs one bare TransactWriteItems of the same four items',
  );
  for (const [k, v] of Object.entries(r.charges))
    console.log(`    ${k.padEnd(40)} median ${v.medianMs} ms  p95 ${v.p95Ms} ms`);
  for (const [k, v] of Object.entries(r.ratios)) console.log(`    ratio ${k.padEnd(46)} ${v}× (bar 2×)`);
}
