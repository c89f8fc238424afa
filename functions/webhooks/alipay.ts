/** POST /webhooks/alipay: Alipay's form-encoded notifications; answers `success` once applied. */
import { appDeps } from '../../lib/config/container';
import { webhookHandler } from '../../lib/http/webhook';
import { applyProviderEvent } from '../../lib/usecases/notifications';

export const handler = webhookHandler('alipay', appDeps, applyProviderEvent);
