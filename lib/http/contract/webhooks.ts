/**
 * The providers' webhooks (API.md "Webhooks") as OpenAPI path items. They are not routes: no JWT and no
 * body parser (lib/http/webhook.ts verifies the raw bytes), and each provider reads the answer its own way.
 * Alipay (docs.open.alipay.com/270/105902, 服务器异步通知页面特性): "程序执行完后必须打印输出“success”… 如果商户
 * 反馈给支付宝的字符不是success这7个字符，支付宝服务器会不断重发通知". WeChat Pay APIv3 (支付通知, 通知应答):
 * "支付通知http应答码为200或204才会当作正常接收，当回调处理异常时，应答的HTTP状态码应为500，或者4xx", with a
 * body {"code":"FAIL","message":…}.
 */
import type { ZodOpenApiPathsObject } from 'zod-openapi';

const text = (description: string, example: string) => ({
  description,
  headers: { 'X-Request-Id': { $ref: '#/components/headers/X-Request-Id' } },
  content: { 'text/plain': { schema: { type: 'string' as const, enum: [example] } } },
});

const wechatFail = (description: string) => ({
  description,
  headers: { 'X-Request-Id': { $ref: '#/components/headers/X-Request-Id' } },
  content: {
    'application/json': {
      schema: {
        type: 'object' as const,
        required: ['code', 'message'],
        properties: {
          code: { type: 'string' as const, enum: ['FAIL'] },
          message: { type: 'string' as const },
        },
      },
    },
  },
});

const header = (name: string, description: string) => ({
  name,
  in: 'header' as const,
  required: true,
  description,
  schema: { type: 'string' as const },
});

/** `POST /webhooks/alipay` and `POST /webhooks/wechatpay`. */
export const webhookPaths: ZodOpenApiPathsObject = {
  '/webhooks/alipay': {
    post: {
      operationId: 'alipayWebhook',
      summary: 'Alipay asynchronous notifications (trades, refunds, fund authorisations)',
      description:
        'Verified (RSA2 over the sorted parameters, app_id and seller_id ours) before anything is read. Alipay retries until the body is exactly `success`.',
      tags: ['webhooks'],
      security: [],
      requestBody: {
        required: true,
        content: {
          'application/x-www-form-urlencoded': {
            schema: {
              type: 'object',
              required: ['notify_id', 'sign', 'sign_type', 'app_id'],
              additionalProperties: { type: 'string' },
              properties: {
                notify_id: { type: 'string' },
                sign: { type: 'string' },
                sign_type: { type: 'string', enum: ['RSA2'] },
                app_id: { type: 'string' },
              },
            },
          },
        },
      },
      responses: {
        '200': text('Applied, or recognised as already applied.', 'success'),
        '401': text(
          'Rejected: forged, stale, tampered or malformed (logged and counted); Alipay retries.',
          'fail',
        ),
        '404': text('Alipay is not configured on this stage.', 'fail'),
        '409': text(
          'Authentic but contradicts what medpay recorded (an integrity alert), or not applicable.',
          'fail',
        ),
        '4XX': text(
          'Not applied for another reason: the status is the one the API gives the same error code (for example 422); Alipay retries.',
          'fail',
        ),
        '500': text('Not processed this time; Alipay retries.', 'fail'),
        '503': text(
          'A dependency (the data store) is unavailable; not processed this time; Alipay retries.',
          'fail',
        ),
      },
    },
  },
  '/webhooks/wechatpay': {
    post: {
      operationId: 'wechatpayWebhook',
      summary: 'WeChat Pay APIv3 notifications (TRANSACTION.SUCCESS, REFUND.*, PAYSCORE.*)',
      description:
        'Verified (RSA-SHA256 over timestamp, nonce and body with the serial’s platform key; timestamp within 300 s; AES-256-GCM resource; mchid and appid ours). 2xx tells WeChat Pay it was received.',
      tags: ['webhooks'],
      security: [],
      parameters: [
        header('Wechatpay-Timestamp', 'Seconds since the epoch; within 300 s of now.'),
        header('Wechatpay-Nonce', 'The signature’s nonce.'),
        header('Wechatpay-Signature', 'Base64 RSA-SHA256 signature.'),
        header('Wechatpay-Serial', 'The platform certificate serial or PUB_KEY_ID_… that signed it.'),
      ],
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['id', 'event_type', 'resource_type', 'resource'],
              properties: {
                id: { type: 'string' },
                create_time: { type: 'string' },
                event_type: { type: 'string' },
                resource_type: { type: 'string', enum: ['encrypt-resource'] },
                summary: { type: 'string' },
                resource: {
                  type: 'object',
                  required: ['algorithm', 'ciphertext', 'nonce'],
                  properties: {
                    algorithm: { type: 'string', enum: ['AEAD_AES_256_GCM'] },
                    ciphertext: { type: 'string' },
                    associated_data: { type: 'string' },
                    nonce: { type: 'string' },
                    original_type: { type: 'string' },
                  },
                },
              },
            },
          },
        },
      },
      responses: {
        '204': {
          description: 'Applied, or recognised as already applied.',
          headers: { 'X-Request-Id': { $ref: '#/components/headers/X-Request-Id' } },
        },
        '401': wechatFail(
          'Rejected: forged, stale, tampered or malformed (logged and counted); WeChat Pay retries.',
        ),
        '404': wechatFail('WeChat Pay is not configured on this stage.'),
        '409': wechatFail(
          'Authentic but contradicts what medpay recorded (an integrity alert), or not applicable.',
        ),
        '4XX': wechatFail(
          'Not applied for another reason: the status is the one the API gives the same error code (for example 422); WeChat Pay retries.',
        ),
        '500': wechatFail('Not processed this time; WeChat Pay retries.'),
        '503': wechatFail(
          'A dependency (the data store) is unavailable; not processed this time; WeChat Pay retries.',
        ),
      },
    },
  },
};
