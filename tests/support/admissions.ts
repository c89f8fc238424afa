/** Test helpers for inpatients: DynamoDB Local and the sandbox, an admission, its top-ups, charges and balances. */
import { expect } from 'vitest';
import { fen, type Fen } from '../../lib/domain/money';
import { Accounts, type Channel } from '../../lib/domain/ledger/accounts';
import { openAdmission } from '../../lib/usecases/admissions/open';
import { postCharge } from '../../lib/usecases/admissions/post-charge';
import { runDischarge } from '../../lib/usecases/admissions/discharge';
import { loadAdmission } from '../../lib/usecases/admissions/records';
import type { AdmissionDeps } from '../../lib/usecases/admissions/deps';
import { createPayment } from '../../lib/usecases/payments/create';
import { loadPayment } from '../../lib/usecases/payments/records';
import type { Payer } from '../../lib/ports/payment-provider';
import type { visitEnv } from './visit-env';

export type Env = Awaited<ReturnType<typeof visitEnv>>;

/** The admissions' world: the sandbox, DynamoDB Local and the helpers a ward's day needs. */
export async function admissionWorld(t: Env) {
  const deps: AdmissionDeps = {
    ...t.deps,
    insured: {
      platform: t.env.insurance.platform,
      auth: t.env.insurance.auth,
      orders: t.env.medicalOrders,
      defaultMedicalType: '11',
    },
    admissions: { depositCapFen: fen(1_000_000), lowBalanceFen: fen(20_000) },
  };
  const sandbox = async (path: string, body?: object) => {
    const res = await fetch(`${t.env.sandbox.url}${path}`, {
      method: body ? 'POST' : 'GET',
      headers: { 'content-type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    });
    const json: unknown = await res.json();
    return { status: res.status, body: json };
  };
  let n = 0;
  /** A fresh admission for a fresh patient. */
  const admit = async (
    over: { lowBalanceFen?: Fen; depositCapFen?: Fen; requestedDepositFen?: Fen } = {},
  ) => {
    const id = `ZY${Date.now()}${n++}`;
    return openAdmission(deps, {
      admissionId: id,
      patientId: `PI-${id}`,
      ward: '心内科三病区',
      requestedDepositFen: fen(50_000),
      ...over,
    });
  };
  /** Asks for a top-up and has `payer` pay it in the sandbox wallet (the notification captures it). */
  const topUp = async (
    admissionId: string,
    patientId: string,
    channel: Channel,
    amountFen: number,
    payer: string,
    mode: 'mini-program' | 'qr' = 'mini-program',
  ) => {
    const walletPayer: Payer = channel === 'alipay' ? { alipayUserId: payer } : { wechatOpenId: payer };
    const { payment } = await createPayment(deps, {
      patientId,
      channel,
      purpose: 'deposit',
      referenceId: admissionId,
      amountFen: fen(amountFen),
      description: '住院预交金',
      mode,
      ...(mode === 'mini-program' ? { payer: walletPayer } : {}),
    });
    const paid = await sandbox('/sandbox/pay', { channel, outTradeNo: payment.outTradeNo, payer });
    expect(paid.status).toBe(200);
    return (await loadPayment(deps.ledger, payment.paymentId)).value;
  };
  const charge = (admissionId: string, chargeId: string, amountFen: number, listed = true) =>
    postCharge(deps, admissionId, {
      chargeId,
      category: 'bed',
      description: `床位费 ${chargeId}`,
      amountFen: fen(amountFen),
      ...(listed
        ? { listing: { listCode: '250101001', hospitalListCode: `H-${chargeId}`, quantity: '1' } }
        : {}),
    });
  /** Every sandbox refund of an order. */
  const refundsOf = async (channel: Channel, outTradeNo: string) => {
    const orders = (await sandbox('/sandbox/orders')).body as Array<{
      channel: string;
      outTradeNo: string;
      refunds: Array<{ amountFen: number; payer?: string; outRefundNo: string }>;
    }>;
    return orders.find((o) => o.channel === channel && o.outTradeNo === outTradeNo)?.refunds ?? [];
  };
  /** Runs the settlement until it stops moving (WeChat refunds settle about 200 ms after they are asked). */
  const settle = async (admissionId: string) => {
    for (let i = 0; i < 40; i++) {
      const a = await runDischarge(deps, admissionId);
      if (a.status !== 'SETTLING') return a;
      await new Promise((r) => setTimeout(r, 100));
    }
    return (await loadAdmission(deps.ledger, admissionId)).value;
  };
  const balances = async (admissionId: string) => ({
    deposit: (await deps.ledger.balanceOf(Accounts.admissionDeposit(admissionId))).netFen,
    tab: (await deps.ledger.balanceOf(Accounts.admissionTab(admissionId))).netFen,
  });
  return { deps, sandbox, admit, topUp, charge, refundsOf, settle, balances };
}
