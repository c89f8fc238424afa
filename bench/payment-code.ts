/**
 * (m) A payment by payment code (付款码) for `npm run bench`, on each wallet, against its floor: the provider's
 * round trip (a signed codepay or alipay.trade.pay to the sandbox, with a fresh code) plus one bare
 * TransactWriteItems; and beside the floor that keeps the rule medpay follows, "record before the call" (W5):
 * two bare writes. medpay's writes carry more (the code's claim; the capture's journal, balances and event).
 */
import { randomBytes } from 'node:crypto';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoLedgerStore } from '../lib/adapters/dynamodb/ledger-store';
import { hospitalKeys } from '../lib/adapters/dynamodb/keys';
import { systemClock } from '../lib/adapters/system/clock';
import { emfMetrics } from '../lib/adapters/system/emf-metrics';
import { ulidIds } from '../lib/adapters/system/ulid-ids';
import type { Channel } from '../lib/domain/ledger/accounts';
import { fen } from '../lib/domain/money';
import { DEFAULT_PAYMENT_CODE_POLICY } from '../lib/domain/payment-code';
import { payByCode, type PayByCodeDeps } from '../lib/usecases/payments/pay-by-code';
import { localTable } from '../scripts/lib/dynamodb-local';
import { sandboxWithProviders } from '../tests/support/sandbox';
import type { Interleave, Stats } from './payments';

const HOSPITAL = hospitalKeys('default');
const WARMUP = 30;

/** Runs (m) against DynamoDB Local at `endpoint`. */
export async function benchPaymentCode(endpoint: string, interleaved: Interleave, iterations: number) {
  const tableName = 'bench-payment-code';
  const doc = await localTable(endpoint, tableName);
  const env = await sandboxWithProviders('http://127.0.0.1:9');
  const deps: PayByCodeDeps = {
    hospitalId: 'default',
    ledger: dynamoLedgerStore(doc, tableName, HOSPITAL),
    clock: systemClock,
    metrics: emfMetrics('bench', () => undefined),
    ids: ulidIds(),
    providers: env.providers,
    payments: { expiryMinutes: 15, paymentCode: DEFAULT_PAYMENT_CODE_POLICY },
  };
  try {
    // Codes are issued before the timing (the phone shows them; the window only scans).
    const codes: Record<Channel, { ours: string[]; floor: string[]; twoWrites: string[] }> = {
      wechatpay: { ours: [], floor: [], twoWrites: [] },
      alipay: { ours: [], floor: [], twoWrites: [] },
    };
    for (const channel of ['wechatpay', 'alipay'] as const)
      for (const side of ['ours', 'floor', 'twoWrites'] as const)
        for (let i = 0; i < iterations + WARMUP; i++) {
          const res = await fetch(`${env.sandbox.url}/sandbox/payment-codes`, {
            method: 'POST',
            // Issued ahead for the whole run, so they must outlive the sandbox's default two minutes.
            body: JSON.stringify({ channel, lifetimeMs: 3_600_000 }),
          });
          codes[channel][side].push(String(((await res.json()) as { authCode: string }).authCode));
        }
    const counter = { staffId: 'clerk', deviceId: 'SCANNER-01', windowId: 'W1' };
    const ours = (channel: Channel) => (i: number) =>
      payByCode(deps, {
        patientId: 'PB',
        channel,
        purpose: 'examination',
        referenceId: `M${channel}${i}`,
        amountFen: fen(100),
        description: 'bench',
        authCode: codes[channel].ours[i] ?? '',
        counter,
      });
    const bareWrite = (i: number) =>
      doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: tableName,
                Item: {
                  ...HOSPITAL.entity('floor', `m${i}-${randomBytes(4).toString('hex')}`),
                  state: { status: 'PAID' },
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
    /** The provider's round trip plus one bare write; `writes` 2: also the record made before the call. */
    const floor =
      (channel: Channel, writes = 1) =>
      async (i: number) => {
        if (writes === 2) await bareWrite(i);
        await bareWrite(i);
        await env.providers[channel].payByCode({
          outTradeNo: `FLOOR${channel.slice(0, 2)}${i}${randomBytes(4).toString('hex')}`,
          amountFen: fen(100),
          description: 'bench',
          authCode: (writes === 2 ? codes[channel].twoWrites : codes[channel].floor)[i] ?? '',
          counter,
        });
      };
    const cases = await interleaved(
      {
        wechatpayPayByCode: ours('wechatpay'),
        wechatpayFloor: floor('wechatpay'),
        wechatpayTwoWriteFloor: floor('wechatpay', 2),
        alipayPayByCode: ours('alipay'),
        alipayFloor: floor('alipay'),
        alipayTwoWriteFloor: floor('alipay', 2),
      },
      iterations,
      WARMUP,
    );
    const r = (a: Stats, b: Stats) => Number((a.medianMs / b.medianMs).toFixed(2));
    return {
      cases,
      ratios: {
        wechatpayPayByCode_vs_roundTripPlusTransactWrite: r(cases.wechatpayPayByCode, cases.wechatpayFloor),
        alipayPayByCode_vs_roundTripPlusTransactWrite: r(cases.alipayPayByCode, cases.alipayFloor),
        wechatpayPayByCode_vs_roundTripPlusTwoWrites: r(
          cases.wechatpayPayByCode,
          cases.wechatpayTwoWriteFloor,
        ),
        alipayPayByCode_vs_roundTripPlusTwoWrites: r(cases.alipayPayByCode, cases.alipayTwoWriteFloor),
      },
    };
  } finally {
    await env.sandbox.close();
  }
}
