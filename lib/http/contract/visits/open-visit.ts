/** The `POST /visits` route. */
import * as z from 'zod/mini';
import { CHANNELS } from '../../../domain/ledger/accounts';
import { defineRoute } from '../../route';
import { DateTime } from '../common';
import { Id, Payer, payerMatchesChannel } from '../shared';
import { Fen } from './schemas';

/** `POST /visits` body. */
export const OpenVisitBody = z
  .strictObject({
    /** Patients open their own visit; staff may name the patient. */
    patientId: z.optional(Id),
    channel: z.enum(CHANNELS),
    payer: Payer,
    insured: z.boolean(),
  })
  .check((ctx) => payerMatchesChannel(ctx.value, ctx.issues));

export const openVisit = defineRoute({
  operationId: 'openVisit',
  method: 'POST',
  path: '/visits',
  summary: 'Open a credit visit and start its authorisation',
  tags: ['visits'],
  auth: ['patient'],
  body: OpenVisitBody,
  responses: () => ({
    201: {
      description:
        'Created. `clientParams` confirms the authorisation: Alipay `orderStr` for my.tradePay, or WeChat Pay Score `businessType` + `extraData` for wx.openBusinessView.',
      schema: z.object({
        visitId: z.string(),
        status: z.literal('AWAITING_AUTHORISATION'),
        creditLimitFen: Fen,
        outOrderNo: z.string(),
        authoriseBy: DateTime(),
        clientParams: z.record(z.string(), z.unknown()),
      }),
    },
    422: { description: 'PATIENT_OVERDUE: the patient has an unpaid visit.' },
    409: { description: 'INVALID_STATE: the patient already has an open credit visit.' },
  }),
});
