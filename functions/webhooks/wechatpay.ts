/** POST /webhooks/wechatpay: WeChat Pay v3 events (TRANSACTION.SUCCESS, REFUND.*); 204 once applied. */
import { webhookDeps } from '../../lib/config/webhooks';
import { webhookHandler } from '../../lib/http/webhook';
import { applyProviderEvent } from '../../lib/usecases/notifications';

export const handler = webhookHandler('wechatpay', applyProviderEvent, webhookDeps);
