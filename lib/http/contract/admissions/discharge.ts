/** The `POST /admissions/{admissionId}/discharge` route. */
import * as z from 'zod/mini';
import { CHANNELS } from '../../../domain/ledger/accounts';
import { defineRoute } from '../../route';
import { text } from '../common';
import { InsuredPatient, PatientLocation } from '../shared';
import { AdmissionParams, AdmissionView } from './schemas';

/** `POST /admissions/{admissionId}/discharge` body. */
export const DischargeBody = z.strictObject({
  /** Insurance at discharge: the patient's authorisation in a wallet (absent: the stay is self-pay). */
  insurance: z.optional(
    z.strictObject({
      channel: z.enum(CHANNELS),
      authCode: text(1, 256),
      /** The wallet user who authorised (WeChat openid, Alipay user id). */
      payerId: text(1, 128),
      location: z.optional(PatientLocation),
      /** 医疗类别 of the stay, as the HIS assigns it. */
      medicalType: text(1, 8),
      departmentCode: z.optional(text(1, 64)),
      doctorCode: z.optional(text(1, 64)),
      /**
       * `platform` (default): the platform settles (6202) now. `wallet` (WeChat): one mixed order carries
       * insurance's parts, the deposits taken off and any arrears; the patient confirms it in WeChat.
       */
      settleIn: z.optional(z.enum(['platform', 'wallet'])),
      /** WeChat checks the order's payer against the insured person (settleIn wallet; never stored). */
      patient: z.optional(InsuredPatient),
    }),
  ),
  /** The channel arrears are asked for on (the last top-up's when absent). */
  arrearsChannel: z.optional(z.enum(CHANNELS)),
});

export const dischargeAdmission = defineRoute({
  operationId: 'dischargeAdmission',
  method: 'POST',
  path: '/admissions/{admissionId}/discharge',
  summary: 'Discharge: settle the stay (insurance, deposits, surplus refunds or an arrears request)',
  tags: ['admissions'],
  auth: ['staff'],
  params: AdmissionParams,
  body: DischargeBody,
  bodyOptional: true,
  responses: () => ({
    200: {
      description:
        'SETTLED, or AWAITING_ARREARS with the payment link for the arrears in `settlement.arrears.payUrl`.',
      schema: AdmissionView(),
    },
    202: {
      description:
        'SETTLING: refunds are processing (the settlement goes on when they complete), or 6202 went unanswered (asked again after a minute), or (settleIn wallet) WeChat’s mixed order waits for the patient: `clientParams` opens it with wx.requestMedicalInsurancePay (answered once).',
      schema: AdmissionView(),
    },
    400: {
      description:
        'VALIDATION_FAILED: no charge is in the insurance lists, insurance is not configured on the channel, or settleIn wallet on Alipay.',
    },
    404: { description: 'NOT_FOUND' },
    409: {
      description: 'TOP_UP_PENDING: a top-up is being paid; INVALID_STATE: insurance is not configured.',
    },
    422: {
      description:
        'INSURANCE_AUTH_INVALID or INSURANCE_REFUSED: the admission is OPEN again, nothing booked.',
    },
  }),
});
