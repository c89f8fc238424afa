/** The `POST /payments` route. */
import * as z from 'zod/mini';
import { CHANNELS } from '../../../domain/ledger/accounts';
import { PAYMENT_PURPOSES } from '../../../domain/payment';
import { defineRoute } from '../../route';
import { text } from '../common';
import { AmountFen, CreatedPayment, Id, Payer, payerMatchesChannel } from '../shared';

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
  })
  .check((ctx) => {
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
      description: 'Created; `clientParams` is what the mini-program (or kiosk) needs to pay.',
      schema: CreatedPayment(),
    },
  }),
});
