/** POST /webhooks/alipay: Alipay's form-encoded notifications; answers `success` once applied. */
import { webhookDeps } from '../../lib/config/webhooks';
import { webhookHandler } from '../../lib/http/webhook';
import { applyProviderEvent } from '../../lib/usecases/notifications';

export const handler = webhookHandler('alipay', applyProviderEvent, webhookDeps);
