/** POST /webhooks/wechatpay: WeChat Pay v3 events (TRANSACTION.SUCCESS, REFUND.*); 204 once applied. */
import { webhookHandler } from '../../lib/http/webhook';

export const handler = webhookHandler('wechatpay');
