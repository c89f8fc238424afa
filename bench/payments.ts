/** Payment benchmarks for `npm run bench`: webhook verify-and-apply and create-payment, each against its floor. */
import { DEFAULT_PAYMENT_CODE_POLICY } from '../lib/domain/payment-code';
import { createDecipheriv, createVerify, randomBytes } from 'node:crypto';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoLedgerStore } from '../lib/adapters/dynamodb/ledger-store';
import { systemClock } from '../lib/adapters/system/clock';
import { emfMetrics } from '../lib/adapters/system/emf-metrics';
import { ulidIds } from '../lib/adapters/system/ulid-ids';
import type { Fen } from '../lib/domain/money';
import { formatYuan } from '../lib/domain/money';
import type { RawNotification } from '../lib/ports/payment-provider';
import { applyNotification } from '../lib/usecases/payments/apply-notification';
import { createPayment } from '../lib/usecases/payments/create';
import type { PaymentDeps } from '../lib/usecases/payments/deps';
import { alipaySignContent, alipayTime, rsaSign, wechatEncrypt, wechatTime } from '../sandbox/signing';
import { sandboxWithProviders } from '../tests/support/sandbox';
import { localTable } from '../scripts/lib/dynamodb-local';
import { hospitalKeys } from '../lib/adapters/dynamodb/keys';

/** The hospital these records belong to (the default hospital of the test and bench configurations). */
const HOSPITAL = hospitalKeys('default');

/** Median and p95 of one case. */
export type Stats = { medianMs: number; p95Ms: number };
/** Runs cases interleaved (see run.ts). */
export type Interleave = <K extends string>(
  cases: Record<K, (i: number) => Promise<unknown>>,
  iterations: number,
  warmup?: number,
) => Promise<Record<K, Stats>>;

/** Runs the payment benchmarks against DynamoDB Local at `endpoint`. */
export async function benchPayments(endpoint: string, interleaved: Interleave, iterations: number) {
  const tableName = 'bench-payments';
  const doc = await localTable(endpoint, tableName);
  const env = await sandboxWithProviders('http://127.0.0.1:9'); // notifications are built here, not sent
  const deps: PaymentDeps = {
    ledger: dynamoLedgerStore(doc, tableName, HOSPITAL),
    clock: systemClock,
    metrics: emfMetrics('bench', () => undefined), // the EMF documents are built, not printed
    ids: ulidIds(),
    providers: env.providers,
    payments: { expiryMinutes: 15, paymentCode: DEFAULT_PAYMENT_CODE_POLICY },
  };
  const round = (n: number) => Number(n.toFixed(2));
  try {
    // Pending payments for every iteration and warm-up round, then one signed notification each.
    const total = iterations + 30;
    const notifications: Record<
      'alipay' | 'wechatpay',
      Array<{ raw: RawNotification; floor: () => void }>
    > = { alipay: [], wechatpay: [] };
    for (const channel of ['alipay', 'wechatpay'] as const) {
      for (let i = 0; i < total; i++) {
        const { payment } = await createPayment(deps, {
          patientId: 'PB',
          channel,
          purpose: 'examination',
          referenceId: `B${i}`,
          amountFen: 2500 as Fen,
          description: 'bench',
          payer: channel === 'alipay' ? { alipayUserId: '2088102122524333' } : { wechatOpenId: 'o1' },
          mode: 'mini-program',
        });
        notifications[channel].push(
          channel === 'alipay' ? alipayNote(env, payment.outTradeNo) : wechatNote(env, payment.outTradeNo),
        );
      }
    }
    const verifyApply = (channel: 'alipay' | 'wechatpay') => async (i: number) => {
      const n = notifications[channel][i];
      if (!n) throw new Error('ran out of notifications');
      await applyNotification(deps, await env.providers[channel].verifyNotification(n.raw));
    };
    const floor = (channel: 'alipay' | 'wechatpay') => (i: number) =>
      Promise.resolve(notifications[channel][i]?.floor());
    const webhooks = await interleaved(
      {
        alipayVerifyAndApply: verifyApply('alipay'),
        alipayCryptoFloor: floor('alipay'),
        wechatpayVerifyAndApply: verifyApply('wechatpay'),
        wechatpayCryptoFloor: floor('wechatpay'),
      },
      iterations,
    );

    // create-payment against its floor: one bare TransactWriteItems plus one sandbox round trip.
    let n = 0;
    const create = await interleaved(
      {
        createPayment: () =>
          createPayment(deps, {
            patientId: 'PB',
            channel: 'wechatpay',
            purpose: 'examination',
            referenceId: `C${n++}`,
            amountFen: 100 as Fen,
            description: 'bench',
            payer: { wechatOpenId: 'o1' },
            mode: 'mini-program',
          }),
        floorTransactWritePlusSandboxRoundTrip: async (i) => {
          await doc.send(
            new TransactWriteCommand({
              TransactItems: [
                {
                  Put: {
                    TableName: tableName,
                    Item: {
                      ...HOSPITAL.entity('floor', `f${i}-${randomBytes(4).toString('hex')}`),
                      state: { status: 'PENDING' },
                    },
                    ConditionExpression: 'attribute_not_exists(pk)',
                  },
                },
              ],
            }),
          );
          await env.providers.wechatpay.queryOrder('MPnonexistent'); // one signed round trip to the sandbox
        },
      },
      iterations,
    );
    const r = (a: Stats, b: Stats) => round(a.medianMs / b.medianMs);
    return {
      webhooks,
      create,
      ratios: {
        alipayVerifyAndApply_vs_cryptoFloor: r(webhooks.alipayVerifyAndApply, webhooks.alipayCryptoFloor),
        wechatpayVerifyAndApply_vs_cryptoFloor: r(
          webhooks.wechatpayVerifyAndApply,
          webhooks.wechatpayCryptoFloor,
        ),
        createPayment_vs_transactWritePlusRoundTrip: r(
          create.createPayment,
          create.floorTransactWritePlusSandboxRoundTrip,
        ),
      },
      throughputPerSec: {
        alipayVerifyAndApply: round(1000 / webhooks.alipayVerifyAndApply.medianMs),
        wechatpayVerifyAndApply: round(1000 / webhooks.wechatpayVerifyAndApply.medianMs),
        alipayCryptoFloor: round(1000 / webhooks.alipayCryptoFloor.medianMs),
        wechatpayCryptoFloor: round(1000 / webhooks.wechatpayCryptoFloor.medianMs),
      },
    };
  } finally {
    await env.sandbox.close();
  }
}

type Env = Awaited<ReturnType<typeof sandboxWithProviders>>;

/** A signed Alipay payment notification for `outTradeNo`, and its bare RSA verify (the floor). */
export function alipayNote(env: Env, outTradeNo: string) {
  const params: Record<string, string> = {
    notify_time: alipayTime(new Date()),
    notify_type: 'trade_status_sync',
    notify_id: randomBytes(16).toString('hex'),
    charset: 'utf-8',
    version: '1.0',
    app_id: env.ids.alipay.appId,
    seller_id: env.ids.alipay.sellerId,
    trade_no: `2026${randomBytes(8).toString('hex')}`,
    out_trade_no: outTradeNo,
    buyer_id: '2088102122524333',
    trade_status: 'TRADE_SUCCESS',
    total_amount: formatYuan(2500 as Fen),
    gmt_payment: alipayTime(new Date()),
  };
  const content = alipaySignContent(params, ['sign', 'sign_type']);
  const sign = rsaSign(content, env.keys.alipayPlatform.privateKey);
  const body = Buffer.from(new URLSearchParams({ ...params, sign_type: 'RSA2', sign }).toString());
  const publicKey = env.keys.alipayPlatform.publicKey;
  return {
    raw: { headers: {}, body },
    floor: () => void createVerify('RSA-SHA256').update(content).verify(publicKey, sign, 'base64'),
  };
}

function wechatNote(env: Env, outTradeNo: string) {
  const w = env.ids.wechatpay;
  const resource = wechatEncrypt(
    JSON.stringify({
      appid: w.appId,
      mchid: w.mchId,
      out_trade_no: outTradeNo,
      transaction_id: `42${randomBytes(8).toString('hex')}`,
      trade_state: 'SUCCESS',
      success_time: wechatTime(new Date()),
      payer: { openid: 'o1' },
      amount: { total: 2500, payer_total: 2500, currency: 'CNY', payer_currency: 'CNY' },
    }),
    env.apiV3Key,
    'transaction',
  );
  const body = JSON.stringify({
    id: randomBytes(8).toString('hex'),
    event_type: 'TRANSACTION.SUCCESS',
    resource_type: 'encrypt-resource',
    resource: { original_type: 'transaction', ...resource },
  });
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = randomBytes(16).toString('hex');
  const message = `${timestamp}\n${nonce}\n${body}\n`;
  const signature = rsaSign(message, env.keys.certificate.privateKey);
  const publicKey = env.keys.certificate.publicKey;
  const headers = {
    'wechatpay-timestamp': timestamp,
    'wechatpay-nonce': nonce,
    'wechatpay-signature': signature,
    'wechatpay-serial': w.certificateSerial,
  };
  return {
    raw: { headers, body: Buffer.from(body) },
    floor: () => {
      createVerify('RSA-SHA256').update(message).verify(publicKey, signature, 'base64');
      const buf = Buffer.from(resource.ciphertext, 'base64');
      const d = createDecipheriv(
        'aes-256-gcm',
        Buffer.from(env.apiV3Key),
        Buffer.from(resource.nonce),
      ).setAAD(Buffer.from('transaction'));
      d.setAuthTag(buf.subarray(buf.length - 16));
      Buffer.concat([d.update(buf.subarray(0, buf.length - 16)), d.final()]);
    },
  };
}
