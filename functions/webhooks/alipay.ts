/** POST /webhooks/alipay: Alipay's form-encoded notifications; answers `success` once applied. */
import { providerDeps } from '../../lib/config/providers';
import { webhookHandler } from '../../lib/http/webhook';
import { applyProviderEvent } from '../../lib/usecases/notifications';

export const handler = webhookHandler('alipay', providerDeps, applyProviderEvent);
