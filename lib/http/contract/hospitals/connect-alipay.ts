/** The `POST /hospitals/{hospitalId}/channels/alipay` route. */
import * as z from 'zod/mini';
import { defineRoute } from '../../route';
import { text, described } from '../common';
import { Hospital, HospitalParams } from './schemas';

export const connectAlipay = defineRoute({
  operationId: 'connectAlipay',
  method: 'POST',
  path: '/hospitals/{hospitalId}/channels/alipay',
  summary: "Connect the hospital's Alipay merchant from its app authorisation (platform operator)",
  tags: ['hospitals'],
  auth: ['operator'],
  params: HospitalParams,
  body: z.strictObject({
    appAuthCode: described(text(1, 128), {
      description:
        'The app_auth_code Alipay sent to the redirect_uri after the merchant authorised the platform app (single use, valid 24 h).',
    }),
  }),
  responses: () => ({
    200: {
      description:
        'The hospital: its Alipay payments are now made for this merchant (app_auth_token kept under the hospital in the parameter store), at once.',
      schema: Hospital(),
    },
    400: { description: 'VALIDATION_FAILED: Alipay refused the code (used, expired or unknown).' },
    404: { description: 'NOT_FOUND: no hospital of that id is registered.' },
    409: { description: 'CONCURRENT_MODIFICATION: another hospital holds this merchant app.' },
  }),
});
