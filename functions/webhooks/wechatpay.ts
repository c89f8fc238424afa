/** POST /webhooks/wechatpay: WeChat Pay v3 events (TRANSACTION.SUCCESS, REFUND.*); 204 once applied. */
import { providerDeps } from '../../lib/config/providers';
import { webhookHandler } from '../../lib/http/webhook';
import { applyProviderEvent } from '../../lib/usecases/notifications';

export const handler = webhookHandler('wechatpay', providerDeps, applyProviderEvent);
