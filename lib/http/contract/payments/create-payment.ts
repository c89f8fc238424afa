/** The `POST /payments` route. */
import * as z from 'zod/mini';
import { CHANNELS } from '../../../domain/ledger/accounts';
import { PAYMENT_PURPOSES } from '../../../domain/payment';
import { defineRoute } from '../../route';
import { text } from '../common';
import {
  AmountFen,
  CreatedPayment,
  FeeQuantity,
  Id,
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
  patient: z.optional(
    z.strictObject({
      name: text(1, 64),
      idNumber: text(15, 18).check(z.regex(/^(\d{15}|\d{17}[\dXx])$/, 'an ID-card number')),
      cardType: z._default(
        z.enum(['ID_CARD', 'HOUSEHOLD_REGISTRATION', 'FOREIGNER_PASSPORT', 'FOREIGN_PERMANENT_RESIDENT']),
        'ID_CARD',
      ),
    }),
  ),
});

/** `POST /payments` body. */
export const CreatePaymentBody = z
  .strictObject({
    channel: z.enum(CHANNELS),
    purpose: z.enum(PAYMENT_PURPOSES),
    referenceId: text(1, 64),
    amountFen: AmountFen,
    description: text(1, 127),
    payer: z.optional(Payer),
    /** `qr` for kiosks (WeChat native / Alipay precreate); default `mini-program`. */
    mode: z._default(z.enum(['mini-program', 'qr']), 'mini-program'),
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
        "Created; `clientParams` is what the mini-program (or kiosk) needs to pay. An insured payment also carries its split (`insurance`) and the parameters of wx.requestMedicalInsurancePay (`mixTradeNo`, …) or Alipay's `payUrl`.",
      schema: CreatedPayment(),
    },
  }),
});
