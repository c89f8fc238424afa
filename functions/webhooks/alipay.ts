/** POST /webhooks/alipay: Alipay's form-encoded notifications; answers `success` once applied. */
import { webhookHandler } from '../../lib/http/webhook';

export const handler = webhookHandler('alipay');
