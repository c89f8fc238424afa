/** The `POST /hospitals/{hospitalId}/channels/wechatpay` route. */
import { defineRoute } from '../../route';
import { Hospital, HospitalParams, WechatSubMerchantBody } from './schemas';

export const connectWechatpay = defineRoute({
  operationId: 'connectWechatpay',
  method: 'POST',
  path: '/hospitals/{hospitalId}/channels/wechatpay',
  summary: "Connect the hospital's WeChat Pay sub-merchant (platform operator)",
  tags: ['hospitals'],
  auth: ['operator'],
  params: HospitalParams,
  body: WechatSubMerchantBody(),
  responses: () => ({
    200: {
      description:
        'The hospital: its WeChat payments now go through the partner APIs as this sub_mchid, at once.',
      schema: Hospital(),
    },
    400: { description: 'VALIDATION_FAILED: sub_mchid is not 8–10 digits, or sub_appid malformed.' },
    404: { description: 'NOT_FOUND: no hospital of that id is registered.' },
    409: { description: 'CONCURRENT_MODIFICATION: another hospital holds this sub-merchant.' },
  }),
});
