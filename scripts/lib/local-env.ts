/**
 * The local stack's function environment, as `npm start` hands it to serverless-offline (serverless.yml
 * maps each MEDPAY_* variable onto the functions' own): the sandbox providers, file: references to the
 * keys in .local/, and the local endpoints. `npm run doctor -- --stage local` checks the same values.
 */
import { WEBHOOK_PATHS } from '../../lib/config/config';
import type { LocalSecrets } from './local-secrets';

/** Where the local stack's parts listen. */
export interface LocalUrls {
  readonly sandboxUrl: string;
  readonly apiUrl: string;
  readonly s3Url: string;
  readonly dynamodbUrl: string;
  /** serverless-offline's Lambda Invoke endpoint (the payment-code follow-up is invoked there). */
  readonly lambdaUrl: string;
}

/** The local notify URLs: the API's webhook paths. */
export const localNotifyUrls = (apiUrl: string) => ({
  alipay: `${apiUrl}${WEBHOOK_PATHS.alipay}`,
  wechatpay: `${apiUrl}${WEBHOOK_PATHS.wechatpay}`,
});

/** The MEDPAY_* variables (and the AWS ones local services accept) for the local functions. */
export function localFunctionEnv(secrets: LocalSecrets, urls: LocalUrls): Record<string, string> {
  const { alipay, wechatpay } = secrets;
  const notifyUrl = localNotifyUrls(urls.apiUrl);
  return {
    MEDPAY_ALIPAY_APP_ID: alipay.appId,
    MEDPAY_ALIPAY_SELLER_ID: alipay.sellerId,
    MEDPAY_ALIPAY_GATEWAY: `${urls.sandboxUrl}/alipay/gateway.do`,
    MEDPAY_ALIPAY_APP_PRIVATE_KEY: `file:${alipay.app.privateKeyFile}`,
    MEDPAY_ALIPAY_PUBLIC_KEY: `file:${alipay.platform.publicKeyFile}`,
    MEDPAY_ALIPAY_NOTIFY_URL: notifyUrl.alipay,
    MEDPAY_WECHATPAY_MCH_ID: wechatpay.mchId,
    MEDPAY_WECHATPAY_APP_ID: wechatpay.appId,
    MEDPAY_WECHATPAY_BASE_URL: `${urls.sandboxUrl}/`,
    MEDPAY_WECHATPAY_MERCHANT_SERIAL: wechatpay.merchantSerial,
    MEDPAY_WECHATPAY_MERCHANT_PRIVATE_KEY: `file:${wechatpay.merchant.privateKeyFile}`,
    MEDPAY_WECHATPAY_APIV3_KEY: `file:${wechatpay.apiV3KeyFile}`,
    MEDPAY_WECHATPAY_PLATFORM_KEYS: `${wechatpay.certificateSerial}=file:${wechatpay.certificate.publicKeyFile},${wechatpay.publicKeyId}=file:${wechatpay.publicKey.publicKeyFile}`,
    MEDPAY_WECHATPAY_NOTIFY_URL: notifyUrl.wechatpay,
    MEDPAY_WECHATPAY_PAYSCORE_SERVICE_ID: wechatpay.payScoreServiceId,
    MEDPAY_COURIER_CALLBACK_SECRET: `file:${secrets.courier.callbackSecretFile}`,
    MEDPAY_CALLBACK_SIGNING_KEY: `file:${secrets.callbackSigningKeyFile}`,
    // Registered hospitals' credentials (an Alipay app_auth_token), in files under .local/.
    MEDPAY_HOSPITAL_SECRETS: `file:${secrets.hospitalSecretsDir}`,
    // A HIS test server on this machine speaks http, and retries come within seconds rather than minutes.
    MEDPAY_CALLBACK_ALLOW_HTTP: 'true',
    MEDPAY_CALLBACK_RETRY_BASE_SECONDS: '1',
    MEDPAY_ERECEIPT_URL: `${urls.sandboxUrl}/ereceipt`,
    MEDPAY_ERECEIPT_APP_ID: secrets.ereceipt.appId,
    MEDPAY_ERECEIPT_KEY: `file:${secrets.ereceipt.keyFile}`,
    MEDPAY_ERECEIPT_PLACE_CODE: '001',
    MEDPAY_INSURANCE_PLATFORM_URL: `${urls.sandboxUrl}/insurance/platform`,
    MEDPAY_INSURANCE_PLATFORM_APP_ID: secrets.insurance.appId,
    MEDPAY_INSURANCE_PLATFORM_KEYS: `file:${secrets.insurance.hospitalFile}`,
    MEDPAY_INSURANCE_ORG_CODE: 'H44010000001',
    MEDPAY_INSURANCE_ORG_ID: 'ORG44010000001',
    MEDPAY_MEDINS_INST_NAME: '沙盒医院',
    MEDPAY_MEDINS_INST_NO: 'H44010000001',
    MEDPAY_MEDINS_CALLBACK_URL: notifyUrl.wechatpay,
    MEDPAY_MEDINS_AUTH_URL: `${urls.sandboxUrl}/insurance/auth-exchange/wechatpay`,
    MEDPAY_ALIPAY_MEDICAL_ORG_CHANNEL_CODE: 'CRTF0001',
    MEDPAY_ALIPAY_MEDICAL_ORG_APP_ID: 'ORGAPP0001',
    MEDPAY_ALIPAY_MEDICAL_CALL_URL: `${urls.apiUrl}/health`,
    AWS_REGION: 'cn-north-1',
    // s3rver knows this fixed key (it does not check SigV4 signatures); DynamoDB Local accepts any key.
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    MEDPAY_S3_ENDPOINT: urls.s3Url,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    MEDPAY_LOCAL_DYNAMODB_ENDPOINT: urls.dynamodbUrl,
    MEDPAY_LAMBDA_ENDPOINT: urls.lambdaUrl,
    // Payment links open on the local API.
    MEDPAY_PAY_LINK_BASE_URL: urls.apiUrl,
    MEDPAY_AUTH_HS256_SECRET: `file:${secrets.jwtSecretFile}`,
  };
}
