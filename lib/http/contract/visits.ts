/** Pay-later visit routes (API.md, Visits: diagnose first, pay later). */
import * as z from 'zod/mini';
import { CHANNELS } from '../../domain/ledger/accounts';
import { CHARGE_CATEGORIES, VISIT_STATUSES } from '../../domain/visit';
import { defineRoute } from '../route';
import { described, int, text, DateTime, Day, paging, lazy } from './common';
import { AmountFen, Id, Payer, payerMatchesChannel } from './shared';

const VisitParams = z.object({ visitId: Id });
const Fen = int();

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

/** `POST /visits/{visitId}/charges` body. */
export const AddChargeBody = z.strictObject({
  chargeId: described(Id, { description: 'The HIS line id; a charge is added once per chargeId.' }),
  category: z.enum(CHARGE_CATEGORIES),
  description: text(1, 127),
  amountFen: AmountFen,
});

/** `POST /visits/{visitId}/settle` body (optional). */
export const SettleBody = z.strictObject({
  /** Staff only: settle the whole tab as self-pay although the visit is insured; recorded with who asked. */
  asSelfPay: z._default(z.boolean(), false),
});

const preauth = {
  preauthId: z.string(),
  insuredFen: Fen,
  personalAccountFen: Fen,
  selfPayFen: Fen,
  expiresAt: DateTime(),
};
const PreauthView = lazy(() => described(z.object(preauth), { id: 'InsurancePreauthorisation' }));

const SettlementView = lazy(() =>
  described(
    z.object({
      visitId: z.string(),
      status: z.enum(VISIT_STATUSES),
      insuredFen: Fen,
      personalAccountFen: Fen,
      selfPayFen: Fen,
      capturedFen: Fen,
      releasedFen: Fen,
      asSelfPay: z.boolean(),
      nextAttemptAt: z.optional(DateTime()),
      lastError: z.optional(z.string()),
    }),
    { id: 'VisitSettlement' },
  ),
);

const VisitView = lazy(() =>
  described(
    z.object({
      visitId: z.string(),
      patientId: z.string(),
      channel: z.enum(CHANNELS),
      status: z.enum(VISIT_STATUSES),
      insured: z.boolean(),
      creditLimitFen: Fen,
      tabFen: Fen,
      availableCreditFen: Fen,
      outOrderNo: z.string(),
      createdAt: DateTime(),
      authoriseBy: DateTime(),
      charges: z.array(
        z.object({
          chargeId: z.string(),
          category: z.enum(CHARGE_CATEGORIES),
          description: z.string(),
          amountFen: Fen,
          voided: z.boolean(),
        }),
      ),
      insurance: z.nullable(
        z.object({ ...preauth, status: z.enum(['HELD', 'SETTLED', 'REVERSED']), tabVersion: int() }),
      ),
      settlement: z.nullable(SettlementView()),
    }),
    { id: 'Visit' },
  ),
);

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

export const getVisit = defineRoute({
  operationId: 'getVisit',
  method: 'GET',
  path: '/visits/{visitId}',
  summary: 'A visit with its tab, charges, insurance and settlement',
  tags: ['visits'],
  auth: ['patient', 'staff', 'finance'],
  params: VisitParams,
  responses: () => ({
    200: { description: 'The visit.', schema: VisitView() },
    404: { description: 'NOT_FOUND' },
  }),
});

export const addCharge = defineRoute({
  operationId: 'addVisitCharge',
  method: 'POST',
  path: '/visits/{visitId}/charges',
  summary: 'Add an HIS charge to the tab (idempotent by chargeId)',
  tags: ['visits'],
  auth: ['staff'],
  params: VisitParams,
  body: AddChargeBody,
  responses: () => ({
    201: {
      description: 'Added (or already added with the same amount).',
      schema: z.object({ chargeId: z.string(), tabFen: Fen, availableCreditFen: Fen }),
    },
    409: { description: 'INVALID_STATE: the visit is not OPEN.' },
    422: {
      description:
        'CREDIT_LIMIT_EXCEEDED (`error.availableCreditFen` says what still fits), or CHARGE_ID_REUSED with another amount.',
    },
  }),
});

export const voidCharge = defineRoute({
  operationId: 'voidVisitCharge',
  method: 'DELETE',
  path: '/visits/{visitId}/charges/{chargeId}',
  summary: 'Void a charge while the visit is OPEN (reversing postings)',
  tags: ['visits'],
  auth: ['staff'],
  params: z.object({ visitId: Id, chargeId: Id }),
  responses: () => ({
    200: {
      description: 'Voided (voiding twice changes nothing).',
      schema: z.object({ chargeId: z.string(), tabFen: Fen, availableCreditFen: Fen }),
    },
    409: { description: 'INVALID_STATE: the visit is not OPEN.' },
  }),
});

export const preauthoriseInsurance = defineRoute({
  operationId: 'preauthoriseVisitInsurance',
  method: 'POST',
  path: '/visits/{visitId}/insurance/preauthorisations',
  summary: 'Pre-settle the tab with medical insurance (bound to the current tab)',
  tags: ['visits'],
  auth: ['staff'],
  params: VisitParams,
  responses: () => ({
    201: { description: 'The hold.', schema: PreauthView() },
    409: { description: 'INVALID_STATE: the visit is not insured, or not OPEN.' },
    503: { description: 'PROVIDER_UNAVAILABLE: the bureau did not answer.' },
  }),
});

export const settleVisit = defineRoute({
  operationId: 'settleVisit',
  method: 'POST',
  path: '/visits/{visitId}/settle',
  summary: 'Settle the visit once: insurance, then the self-pay capture, then release the rest',
  tags: ['visits'],
  auth: ['patient', 'staff'],
  params: VisitParams,
  body: SettleBody,
  bodyOptional: true,
  responses: () => ({
    200: { description: 'SETTLED.', schema: SettlementView() },
    202: {
      description:
        'Accepted and still running (SETTLING: waiting for the bureau or the capture; PAYMENT_FAILED: retried on schedule).',
      schema: SettlementView(),
    },
    409: { description: 'INVALID_STATE: not authorised yet, or cancelled.' },
  }),
});

export const cancelVisit = defineRoute({
  operationId: 'cancelVisit',
  method: 'POST',
  path: '/visits/{visitId}/cancel',
  summary: 'Cancel a visit with nothing charged and release its authorisation',
  tags: ['visits'],
  auth: ['patient', 'staff'],
  params: VisitParams,
  responses: () => ({
    200: {
      description:
        'CANCELLED; `authorisationReleased` is false while the provider is unreachable (the job retries).',
      schema: z.object({
        visitId: z.string(),
        status: z.literal('CANCELLED'),
        authorisationReleased: z.boolean(),
      }),
    },
    409: { description: 'INVALID_STATE: the visit has charges, or is settling or settled.' },
  }),
});

export const searchVisits = defineRoute({
  operationId: 'searchVisits',
  method: 'GET',
  path: '/visits',
  summary: "A business day's pay-later visits, page by page (patients see only their own)",
  tags: ['visits'],
  auth: ['patient', 'staff', 'finance'],
  query: z.strictObject({
    date: Day(),
    status: z.optional(z.enum(VISIT_STATUSES)),
    patientId: z.optional(text(1, 64)),
    ...paging(),
  }),
  responses: () => ({
    200: {
      description:
        'One page, oldest first (by opening). Follow `nextCursor` until it is absent; a page may hold fewer than `limit` when filters drop some.',
      schema: z.object({ items: z.array(VisitView()), nextCursor: z.optional(z.string()) }),
    },
    400: {
      description: 'VALIDATION_FAILED: no or malformed date, unknown status, or a cursor of another search.',
    },
  }),
});
