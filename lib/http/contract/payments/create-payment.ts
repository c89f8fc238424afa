/** The `POST /payments` route. */
import * as z from 'zod/mini';
import { CHANNELS } from '../../../domain/ledger/accounts';
import { MAX_LINK_MINUTES, PAYMENT_MODES, PAYMENT_PURPOSES } from '../../../domain/payment';
import { defineRoute } from '../../route';
import { intIn, text } from '../common';
import {
  AmountFen,
  CreatedPayment,
  FeeQuantity,
  Id,
  InsuredPatient,
  Payer,
  PatientLocation,
  payerMatchesChannel,
} from '../shared';

/** One HIS fee line for the platform's 6201 (FeeDetailDTO: feedetlSn, medListCodg, medinsListCodg, …). */
const FeeLine = z.strictObject({
  lineId: text(1, 64),
  listCode: text(1, 64),
  hospitalListCode: text(1, 64),
  name: text(1, 200),
  quantity: FeeQuantity,
  amountFen: AmountFen,
  prescriptionNo: z.optional(text(1, 64)),
});

/** An insured payment: the wallet's authorisation and the fee lines (docs/insurance.md). */
const Insurance = z.strictObject({
  authCode: text(1, 256),
  location: z.optional(PatientLocation),
  medicalType: z.optional(text(1, 8)),
  chargeBatchNo: z.optional(text(1, 64)),
  departmentCode: z.optional(text(1, 64)),
  doctorCode: z.optional(text(1, 64)),
  feeLines: z.array(FeeLine).check(z.minLength(1), z.maxLength(500)),
  /** WeChat checks the order's payer against the insured person (name and ID number are never stored). */
  patient: z.optional(InsuredPatient),
});

/** `POST /payments` body. */
export const CreatePaymentBody = z
  .strictObject({
    channel: z.enum(CHANNELS),
    /** `deposit` tops up an inpatient admission (referenceId = admissionId): any mode, anyone may pay. */
    purpose: z.enum(PAYMENT_PURPOSES),
    referenceId: text(1, 64),
    amountFen: AmountFen,
    description: text(1, 127),
    payer: z.optional(Payer),
    /**
     * `qr` for kiosks and printed bills (WeChat native / Alipay precreate); `h5` for a link anyone can pay in a
     * phone's browser (clientParams.payUrl; WeChat H5 / Alipay wap.pay); `payment-code` for the patient's
     * payment code scanned at a window (staff only, with `authCode` and `deviceId`); default `mini-program`.
     */
    mode: z._default(z.enum(PAYMENT_MODES), 'mini-program'),
    /** The scanned payment code (mode payment-code). Its format is checked against the channel's (PAYMENT_CODE_INVALID). */
    authCode: z.optional(text(1, 64)),
    /** The scanner or terminal that took the payment code (WeChat scene_info.device_id, Alipay terminal_id). */
    deviceId: z.optional(text(1, 32)),
    /** The window or kiosk, as the hospital names it (WeChat store_info.out_id, Alipay store_id). */
    windowId: z.optional(text(1, 32)),
    /** A QR code or a payment link (modes qr, h5) can be paid for this many minutes (1–120; default 120, the providers' 2 h). */
    expiresInMinutes: z.optional(intIn(1, MAX_LINK_MINUTES)),
    /** Staff only: the patient the payment belongs to (patients always pay for themselves). */
    patientId: z.optional(Id),
    /** Pay with medical insurance: the platform splits the amount, the wallet collects the self-pay part. */
    insurance: z.optional(Insurance),
  })
  .check((ctx) => {
    if (ctx.value.insurance && ctx.value.mode !== 'mini-program')
      ctx.issues.push({
        code: 'custom',
        path: ['mode'],
        message: 'an insured payment is paid in the wallet (mode mini-program)',
        input: ctx.value,
      });
    const code = ctx.value.mode === 'payment-code';
    for (const field of ['authCode', 'deviceId'] as const)
      if (code !== (ctx.value[field] !== undefined))
        ctx.issues.push({
          code: 'custom',
          path: [field],
          message: code ? `${field} is required for a payment-code payment` : 'only for mode payment-code',
          input: ctx.value,
        });
    if (ctx.value.windowId !== undefined && !code)
      ctx.issues.push({
        code: 'custom',
        path: ['windowId'],
        message: 'only for mode payment-code',
        input: ctx.value,
      });
    if (ctx.value.expiresInMinutes !== undefined && ctx.value.mode !== 'qr' && ctx.value.mode !== 'h5')
      ctx.issues.push({
        code: 'custom',
        path: ['expiresInMinutes'],
        message: 'only for modes qr and h5',
        input: ctx.value,
      });
    if ((code || ctx.value.mode === 'h5') && ctx.value.payer)
      ctx.issues.push({
        code: 'custom',
        path: ['payer'],
        message: 'whoever pays is the payer: the wallet names them',
        input: ctx.value,
      });
    if (ctx.value.mode === 'mini-program' && !ctx.value.payer)
      ctx.issues.push({
        code: 'custom',
        path: ['payer'],
        message: 'payer is required for a mini-program payment',
        input: ctx.value,
      });
    payerMatchesChannel(ctx.value, ctx.issues);
  });

export const createPayment = defineRoute({
  operationId: 'createPayment',
  method: 'POST',
  path: '/payments',
  summary: 'Create a payment and its provider order',
  tags: ['payments'],
  auth: ['patient', 'staff'],
  body: CreatePaymentBody,
  responses: () => ({
    201: {
      description:
        "Created; `clientParams` is what the mini-program (or kiosk) needs to pay. An insured payment also carries its split (`insurance`) and the parameters of wx.requestMedicalInsurancePay (`mixTradeNo`, …) or Alipay's `payUrl`. A payment code's payment is answered once the wallet has decided: PAID, or CLOSED after a reversal.",
      schema: CreatedPayment(),
    },
    202: {
      description:
        'A payment code whose outcome the wallet has not given yet (the patient may be entering a password): the payment is PENDING and medpay follows it to the end: poll `GET /payments/{paymentId}`.',
      schema: CreatedPayment(),
    },
    404: {
      description:
        "NOT_FOUND: purpose `deposit` names an admission (referenceId) that does not exist or is another patient's.",
    },
    409: {
      description:
        'INVALID_STATE: among others, a deposit for an admission that is no longer OPEN (its discharge started).',
    },
    422: {
      description: "DEPOSIT_CAP_EXCEEDED: a deposit that would take the admission's deposits over its cap.",
    },
  }),
});
