/**
 * (k) An insured payment (WeChat, CASH_AND_INSURANCE) for `npm run bench`: createInsuredPayment end to end
 * against its floor, the same provider round trips made directly through the adapters (authorisation
 * exchange, 6201 over the SM2/SM4 envelope, the self-pay JSAPI prepay and the mixed order) plus one bare
 * TransactWriteItems. The use case writes twice (the payment before the wallet order exists, then its
 * number), so the gap to the floor is mostly that second write.
 */
import { DEFAULT_PAYMENT_CODE_POLICY } from '../lib/domain/payment-code';
import { randomBytes } from 'node:crypto';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoLedgerStore } from '../lib/adapters/dynamodb/ledger-store';
import { systemClock } from '../lib/adapters/system/clock';
import { emfMetrics } from '../lib/adapters/system/emf-metrics';
import { ulidIds } from '../lib/adapters/system/ulid-ids';
import { fen } from '../lib/domain/money';
import { createInsuredPayment } from '../lib/usecases/payments/create-insured';
import type { PaymentDeps } from '../lib/usecases/payments/deps';
import { localTable } from '../scripts/lib/dynamodb-local';
import { sandboxWithProviders } from '../tests/support/sandbox';
import { INSURED_PERSON, SAMPLE_FEE_LINES } from '../tests/support/insured';
import type { Interleave, Stats } from './payments';
import { hospitalKeys } from '../lib/adapters/dynamodb/keys';

/** The hospital these records belong to (the default hospital of the test and bench configurations). */
const HOSPITAL = hospitalKeys('default');

const OPENID = 'o-bench-insured';
const PATIENT = INSURED_PERSON;
/** All three parts non-zero. */
const LINES = SAMPLE_FEE_LINES;

/** Runs the insured-payment benchmark against DynamoDB Local at `endpoint`. */
export async function benchInsured(endpoint: string, interleaved: Interleave, iterations: number) {
  const tableName = 'bench-insured';
  const doc = await localTable(endpoint, tableName);
  const env = await sandboxWithProviders('http://127.0.0.1:9');
  env.sandbox.platform.settings.defaultPersonalAccountFen = 1_000;
  env.sandbox.platform.settings.personalAccounts = {};
  const deps: PaymentDeps = {
    ledger: dynamoLedgerStore(doc, tableName, HOSPITAL),
    clock: systemClock,
    metrics: emfMetrics('bench', () => undefined),
    ids: ulidIds(),
    providers: env.providers,
    payments: { expiryMinutes: 15, paymentCode: DEFAULT_PAYMENT_CODE_POLICY },
    insured: {
      platform: env.insurance.platform,
      auth: env.insurance.auth,
      orders: env.medicalOrders,
      defaultMedicalType: '11',
    },
  };
  const authCode = () =>
    env.sandbox.platform.authorise({ channel: 'wechatpay', payerId: OPENID, ...PATIENT }).authCode;
  const patient = { ...PATIENT, cardType: 'ID_CARD' as const };
  try {
    const cases = await interleaved(
      {
        createInsuredPayment: (i) =>
          createInsuredPayment(deps, {
            patientId: 'PBI',
            channel: 'wechatpay',
            purpose: 'examination',
            referenceId: `BI${i}-${randomBytes(3).toString('hex')}`,
            amountFen: fen(15_000),
            description: 'bench',
            payer: { wechatOpenId: OPENID },
            mode: 'mini-program',
            insurance: { authCode: authCode(), feeLines: LINES, patient },
          }),
        floorRoundTripsPlusTransactWrite: async (i) => {
          const no = `F${i}${randomBytes(6).toString('hex')}`;
          const auth = await env.insurance.auth.wechatpay.exchange({ authCode: authCode(), payerId: OPENID });
          const up = await env.insurance.platform.uploadFees({
            payAuthNo: auth.payAuthNo,
            insuredRegion: auth.insuredRegion,
            location: auth.location ?? '',
            medOrgOrd: no.slice(0, 20),
            chargeBatchNo: no,
            medicalType: '11',
            totalFen: fen(15_000),
            lines: LINES,
            at: new Date(),
          });
          await env.medicalOrders.wechatpay.create({
            outTradeNo: `MPF${no}`,
            description: 'bench',
            purpose: 'examination',
            payer: { wechatOpenId: OPENID },
            patient,
            mixPayType: 'CASH_AND_INSURANCE',
            totalFen: fen(15_000),
            split: up.split,
            platform: {
              payAuthNo: auth.payAuthNo,
              payOrdId: up.payOrdId,
              medOrgOrd: no.slice(0, 20),
              chargeBatchNo: no,
              location: auth.location ?? '',
              city: auth.insuredRegion,
              createdAt: new Date(),
            },
            expiresAt: new Date(Date.now() + 15 * 60_000),
          });
          await doc.send(
            new TransactWriteCommand({
              TransactItems: [
                {
                  Put: {
                    TableName: tableName,
                    Item: { ...HOSPITAL.entity('floor', no), state: { status: 'PENDING' } },
                    ConditionExpression: 'attribute_not_exists(pk)',
                  },
                },
              ],
            }),
          );
        },
      },
      iterations,
    );
    const ratio = (a: Stats, b: Stats) => Number((a.medianMs / b.medianMs).toFixed(2));
    return {
      cases,
      ratios: {
        createInsuredPayment_vs_roundTripsPlusTransactWrite: ratio(
          cases.createInsuredPayment,
          cases.floorRoundTripsPlusTransactWrite,
        ),
      },
    };
  } finally {
    await env.sandbox.close();
  }
}
