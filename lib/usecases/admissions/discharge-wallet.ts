/**
 * The insured part at discharge through WeChat's mixed order (医保 2.0, order_type IN_HOSP_PAY, "住院预交、
 * 出院结算", W2 §3), instead of the platform's 6202: the listed charges are uploaded (6201), and one order
 * carries insurance's parts, the unlisted charges as OTHER_MEDICAL_EXPENSES and the deposits taken off the
 * self-pay part as PRE_PAYMENT ("预缴金", W1 §4); what is left is the wallet's cash (the arrears, paid in the
 * same order). The patient confirms it with one password (wx.requestMedicalInsurancePay, W6).
 *
 * Primary course:
 *   1. WeChat only: Alipay's medical trade publishes no deduction of deposits (PROTOCOLS §1.7): 400.
 *   2. 6201 uploads the listed charges; the deduction is what the deposits cover of the self-pay part.
 *   3. Nothing insured: the upload is revoked and the stay settles as self-pay.
 *   4. The order's payment (purpose deposit, the admission's DISCHARGE) is recorded with the admission's
 *      settlement ORDERING, in one transaction; then the order is placed. If it cannot be, the upload is
 *      revoked, the payment closed and the admission reopened.
 *   5. Its capture (the MEDICAL_INSURANCE.SUCCESS notification or the sweep's query) books insurance's parts
 *      and the cash against the tab and fixes the plan (top-up.ts); the saga books the deduction and
 *      refunds any surplus (discharge.ts). An order that closes unpaid reopens the admission.
 */
import { ValidationError } from '../../domain/errors';
import { insuredPart, type Split } from '../../domain/insurance';
import { selfPaySplit, type Admission, type DischargeInsurance } from '../../domain/admission';
import { addFen, fen, subtractFen } from '../../domain/money';
import type { Payment } from '../../domain/payment';
import { closeUnordered, markOrdered, platformPart } from '../payments/create-insured';
import { pendingPayment } from '../payments/create';
import { loadPayment } from '../payments/records';
import { insuredFor } from '../payments/deps';
import type { Versioned } from '../shared/records';
import type { AdmissionDeps } from './deps';
import { reopen, uploadListed, withSplit, type DischargeInsuranceInput } from './discharge-insurance';
import { loadAdmission } from './records';

/** The admission as the order left it, and what opens the patient's cashier (answered once, never stored). */
export interface WalletDischarge {
  readonly current: Versioned<Admission>;
  readonly clientParams?: Readonly<Record<string, string>>;
}

/** Uploads the listed charges and places the discharge's mixed order; the admission waits for the patient. */
export async function dischargeInWallet(
  deps: AdmissionDeps,
  current: Versioned<Admission>,
  input: DischargeInsuranceInput,
): Promise<WalletDischarge> {
  const s = current.value.settlement;
  if (!s) return { current };
  if (input.channel !== 'wechatpay')
    throw new ValidationError(
      "Only WeChat's mixed order takes the deposits off (cash_reduce_detail); settle Alipay at the platform.",
      [{ path: 'body.insurance.settleIn', message: 'wallet is WeChat only' }],
    );
  const parts = insuredFor(deps, input.channel);
  const admission = current.value;
  const { upload, chargeBatchNo, unlisted } = await uploadListed(deps, parts, admission, input);
  const { uploaded } = upload;
  // Everything the patient pays themselves, then what the deposits cover of it, then what the wallet takes.
  const selfPay = addFen(uploaded.split.selfPayFen, unlisted);
  const prepaid = fen(Math.min(selfPay, admission.depositsFen));
  const cash = subtractFen(selfPay, prepaid);
  if (insuredPart(uploaded.split) === 0) {
    // A CASH_ONLY order with an open upload leaves the 医保局 record stuck (W5 §2.8 B): revoke, settle as self-pay.
    await upload.revoke();
    return { current: await withSplit(deps, current, undefined, selfPaySplit(admission.chargesFen)) };
  }
  const orderSplit: Split = { ...uploaded.split, selfPayFen: cash };
  const mixPayType = cash > 0 ? 'CASH_AND_INSURANCE' : 'INSURANCE_ONLY';
  const cashAdjustments = { unlistedFen: unlisted, prepaidFen: prepaid };
  const paymentId = deps.ids.next('payment');
  const payment: Payment = {
    ...pendingPayment(deps, paymentId, {
      patientId: admission.patientId,
      channel: input.channel,
      purpose: 'deposit',
      referenceId: admission.admissionId,
      amountFen: addFen(insuredPart(orderSplit), cash),
      description: `住院 ${admission.admissionId} 出院结算`,
      payer: { wechatOpenId: input.payerId },
      mode: 'mini-program',
    }),
    admission: { admissionId: admission.admissionId, kind: 'DISCHARGE' },
    insurance: {
      mixPayType,
      status: 'UPLOADED',
      medOrgOrd: upload.medOrgOrd,
      chargeBatchNo,
      payOrdId: uploaded.payOrdId,
      payToken: uploaded.payToken,
      split: orderSplit,
      cashAdjustments,
      selfPayStatus: cash > 0 ? 'PENDING' : 'NONE',
    },
  };
  const ordering: DischargeInsurance = {
    status: 'ORDERING',
    settleIn: 'wallet',
    paymentId,
    channel: input.channel,
    payOrdId: uploaded.payOrdId,
    payToken: uploaded.payToken,
    medOrgOrd: upload.medOrgOrd,
    chargeBatchNo,
    split: { ...uploaded.split, selfPayFen: selfPay },
    orderedAt: upload.at.toISOString(),
  };
  try {
    await deps.ledger.commit({
      entities: [
        deps.ledger.payments.write(payment, { kind: 'absent' }),
        deps.ledger.payments.listing(payment),
        deps.ledger.admissions.transition(current, {
          ...admission,
          settlement: { ...s, insurance: ordering },
        }),
      ],
    });
  } catch (error) {
    await upload.revoke();
    throw error;
  }
  const recorded = { value: payment, version: 1 };
  try {
    const created = await parts.orders.create({
      outTradeNo: payment.outTradeNo,
      description: payment.description,
      purpose: payment.purpose,
      payer: { wechatOpenId: input.payerId },
      patient: input.patient,
      mixPayType,
      totalFen: payment.amountFen,
      split: orderSplit,
      cashAdjustments,
      platform: platformPart(
        uploaded,
        upload.authorisation,
        upload.medOrgOrd,
        chargeBatchNo,
        upload.location,
        upload.at,
      ),
      expiresAt: new Date(payment.expiresAt),
    });
    await markOrdered(deps, recorded, created.channelOrderNo);
    return {
      current: await loadAdmission(deps.ledger, admission.admissionId),
      clientParams: created.clientParams,
    };
  } catch (error) {
    await upload.revoke();
    await closeUnordered(deps, paymentId);
    const reason = error instanceof Error ? error.message : String(error);
    await reopen(deps, await loadAdmission(deps.ledger, admission.admissionId), reason).catch(
      () => undefined,
    );
    throw error;
  }
}

/**
 * While the patient confirms: an order closed unpaid (expired, failed, or closed by staff) reopens the
 * admission, nothing booked; one paid moved the settlement on in its capture. Answers whether it reopened.
 */
export async function walletOrderClosed(
  deps: Pick<AdmissionDeps, 'ledger'>,
  current: Versioned<Admission>,
): Promise<boolean> {
  const paymentId = current.value.settlement?.insurance?.paymentId;
  if (!paymentId) return false;
  const { value: payment } = await loadPayment(deps.ledger, paymentId);
  if (payment.status !== 'CLOSED') return false;
  await reopen(
    deps,
    current,
    `WeChat's discharge order ${paymentId} closed unpaid (the patient did not confirm it); discharge again.`,
  );
  return true;
}
