/** Hospitals: the tenant every record belongs to, and the ids that name them. */
import { ValidationError } from './errors';

/** A hospital id: lower-case letters, digits and hyphens, 2–32 characters, starting with a letter or digit. */
export const HOSPITAL_ID = /^[a-z0-9][a-z0-9-]{1,31}$/;

/** True when `id` is a well-formed hospital id. */
export const isHospitalId = (id: unknown): id is string => typeof id === 'string' && HOSPITAL_ID.test(id);

/** `id` checked as a hospital id, or a ValidationError naming `path`. */
export function hospitalId(id: string, path = 'hospitalId'): string {
  if (!isHospitalId(id))
    throw new ValidationError(`${path} must be 2–32 lower-case letters, digits or hyphens.`, [
      { path, message: 'not a hospital id' },
    ]);
  return id;
}

/** Whether a hospital may take payments: a suspended one is refused at every route and job. */
export type HospitalStatus = 'ACTIVE' | 'SUSPENDED';

/**
 * A hospital's WeChat Pay sub-merchant (特约商户) under the deployment's service provider (服务商): the
 * partner APIs name it as `sub_mchid`, and `sub_appid` when the patient's openid is under the hospital's
 * own app (PROTOCOLS §3.1; pay.weixin.qq.com/wiki/doc/apiv3/wxpay/pay/transactions/chapter5_1.shtml).
 */
export interface WechatSubMerchant {
  readonly subMchId: string;
  readonly subAppId?: string;
}

/**
 * A hospital's Alipay merchant, which authorised the platform's app to act for it (第三方应用授权): its own
 * app (`auth_app_id`) and PID (`user_id`, its trades' `seller_id`). The token itself is a secret, kept in the
 * parameter store under the hospital (ALIPAY_APP_AUTH_TOKEN). REVOKED once the merchant cancels it.
 */
export interface AlipayMerchant {
  readonly authAppId: string;
  readonly merchantId: string;
  readonly status: 'AUTHORISED' | 'REVOKED';
  /** When it was authorised, or revoked. */
  readonly since: string;
  /** When the daily check last asked Alipay about the token, and when Alipay said it lapses. */
  readonly checkedAt?: string;
  readonly expiresAt?: string;
}

/** The names of a hospital's Alipay secrets in the parameter store. */
export const ALIPAY_APP_AUTH_TOKEN = 'alipay-app-auth-token';
export const ALIPAY_REFRESH_TOKEN = 'alipay-app-refresh-token';

/**
 * A registered hospital's identity for medical insurance (its 医保 identity): at the national platform its
 * 定点医药机构 code and the app the province issued it (whose keys are secrets, INSURANCE_PLATFORM_KEYS); at
 * WeChat Pay 医保 its med_inst_name and med_inst_no ("per sub-merchant", PROTOCOLS §3.1); at Alipay's medical
 * product its org channel code and org app id.
 */
export interface HospitalInsurance {
  readonly orgCode: string;
  readonly orgId: string;
  readonly appId: string;
  readonly medInstName: string;
  readonly medInstNo: string;
  readonly alipay?: { readonly orgChannelCode: string; readonly orgAppId: string };
}

/** The name of a hospital's national-platform envelope keys (JSON) in the parameter store. */
export const INSURANCE_PLATFORM_KEYS = 'insurance-platform-keys';

/** The envelope keys a province issues a hospital, the fields of that JSON secret. */
export const PLATFORM_KEY_NAMES = [
  'appSecret',
  'sm4KeyHex',
  'privateKeyHex',
  'platformPublicKeyHex',
] as const;

/** The envelope keys themselves (one JSON secret, the deployment's or a registered hospital's). */
export type PlatformKeys = Readonly<Record<(typeof PLATFORM_KEY_NAMES)[number], string>>;

/**
 * A registered hospital's account at its fiscal e-receipt platform (docs/receipts.md): where the platform
 * is, its appid and issuing point there, and the payee printed on its receipts. The signing key is a secret
 * (ERECEIPT_KEY), put in the parameter store by the operator.
 */
export interface HospitalReceipts {
  readonly baseUrl: string;
  readonly appId: string;
  readonly placeCode: string;
  readonly payee: string;
}

/** The name of a hospital's e-receipt signing key in the parameter store. */
export const ERECEIPT_KEY = 'ereceipt-key';

/** The channels a registered hospital takes payments on, each acting through the platform's own account. */
export interface HospitalChannels {
  readonly wechatpay?: WechatSubMerchant;
  readonly alipay?: AlipayMerchant;
}

/**
 * A hospital registered on the platform by an operator. The default hospital (direct mode: the deployment's
 * own merchant accounts) needs no registration; every registered one takes payments in partner mode.
 */
export interface Hospital {
  readonly hospitalId: string;
  readonly name: string;
  readonly status: HospitalStatus;
  readonly channels: HospitalChannels;
  /** Its medical-insurance identity, once connected. */
  readonly insurance?: HospitalInsurance;
  /** Its e-receipt platform account, once connected. */
  readonly receipts?: HospitalReceipts;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** `hospital` with `channels` replacing those it names, as changed `at` (ISO instant). */
export const withChannels = (hospital: Hospital, channels: HospitalChannels, at: string): Hospital => ({
  ...hospital,
  channels: { ...hospital.channels, ...channels },
  updatedAt: at,
});

/**
 * The notification URL of a partner-mode order: the deployment's webhook URL with the hospital's id as its
 * last segment (`/webhooks/{channel}/{hospitalId}`), so a notification is checked against where it was sent;
 * `url` itself without a hospital (direct mode).
 */
export const hospitalUrl = (url: string, hospitalId: string | undefined) =>
  hospitalId === undefined ? url : `${url}/${encodeURIComponent(hospitalId)}`;

/** A WeChat Pay merchant number (sub_mchid): 8–10 digits, as the merchant platform issues them. */
export const WECHAT_MCH_ID = /^\d{8,10}$/;
