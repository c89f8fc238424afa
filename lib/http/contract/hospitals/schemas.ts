/** The schemas the hospital registry's routes share. */
import * as z from 'zod/mini';
import { HOSPITAL_ID, WECHAT_MCH_ID } from '../../../domain/hospital';
import { DateTime, described, lazy, text } from '../common';

/** A hospital id: 2–32 lower-case letters, digits and hyphens. */
export const HospitalIdText = () =>
  described(z.string().check(z.regex(HOSPITAL_ID, 'must be 2–32 of a-z, 0-9 and -')), {
    description: 'The hospital id tokens name in their `hospital` claim.',
    example: 'h-east',
  });

export const HospitalParams = z.object({ hospitalId: HospitalIdText() });

/** A WeChat Pay sub-merchant: sub_mchid, and sub_appid when patients' openids are under the hospital's app. */
export const WechatSubMerchantBody = () =>
  z.strictObject({
    subMchId: described(z.string().check(z.regex(WECHAT_MCH_ID, 'must be 8–10 digits')), {
      description: "The hospital's 特约商户号 (sub_mchid) under the deployment's service provider.",
      example: '1900000109',
    }),
    subAppId: z.optional(
      described(z.string().check(z.regex(/^wx[0-9a-f]{16}$/, 'must be wx + 16 hex digits')), {
        description: "The hospital's own app (sub_appid); its patients' openids are sub_openid.",
      }),
    ),
  });

export const Hospital = lazy(() =>
  described(
    z.object({
      hospitalId: z.string(),
      name: z.string(),
      status: z.enum(['ACTIVE', 'SUSPENDED']),
      channels: z.object({
        wechatpay: z.optional(z.object({ subMchId: z.string(), subAppId: z.optional(z.string()) })),
        alipay: z.optional(
          z.object({
            authAppId: z.string(),
            merchantId: z.string(),
            status: z.enum(['AUTHORISED', 'REVOKED']),
            since: DateTime(),
            checkedAt: z.optional(DateTime()),
            expiresAt: z.optional(DateTime()),
          }),
        ),
      }),
      insurance: z.optional(
        z.object({
          orgCode: z.string(),
          orgId: z.string(),
          appId: z.string(),
          medInstName: z.string(),
          medInstNo: z.string(),
          alipay: z.optional(z.object({ orgChannelCode: z.string(), orgAppId: z.string() })),
        }),
      ),
      receipts: z.optional(
        z.object({ baseUrl: z.string(), appId: z.string(), placeCode: z.string(), payee: z.string() }),
      ),
      createdAt: DateTime(),
      updatedAt: DateTime(),
    }),
    { id: 'Hospital' },
  ),
);

/** A hospital's medical-insurance identity (its keys are put in the parameter store, never sent here). */
export const HospitalInsuranceBody = () =>
  z.strictObject({
    orgCode: described(text(1, 64), {
      description: '定点医药机构编码 at the national platform (fixmedins_code; Alipay org_no).',
      example: 'H44010000002',
    }),
    orgId: described(text(1, 64), { description: "The hospital's organisation id at the platform." }),
    appId: described(text(1, 64), { description: 'The app id the province issued to the hospital.' }),
    medInstName: described(text(1, 128), { description: 'med_inst_name at WeChat Pay 医保.' }),
    medInstNo: described(text(1, 64), {
      description: 'med_inst_no at WeChat Pay 医保 (its 医保-registered code).',
    }),
    alipay: z.optional(
      z.strictObject({
        orgChannelCode: described(text(1, 64), { description: "Alipay medical's org channel code." }),
        orgAppId: described(text(1, 64), { description: "Alipay medical's org app id." }),
      }),
    ),
  });

/** A hospital's e-receipt platform account (its signing key is put in the parameter store, never sent here). */
export const HospitalReceiptsBody = () =>
  z.strictObject({
    baseUrl: described(text(8, 256).check(z.regex(/^https?:\/\/[^\s]+$/, 'an http(s) URL')), {
      description: "The platform's base URL; its methods are POSTed to <baseUrl>/<method>.",
    }),
    appId: described(text(1, 64), { description: "The hospital's appid at the platform." }),
    placeCode: described(text(1, 64), {
      description: '开票点编码: the issuing point the platform assigned.',
    }),
    payee: described(text(1, 100), { description: '收款单位 printed on the receipts.' }),
  });

/** The hospital's display name. */
export const HospitalName = () => text(1, 100);
