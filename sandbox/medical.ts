/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-assignment -- request bodies are untyped JSON on the wire, checked field by field */
/**
 * The wallets' medical-insurance products as the sandbox plays them, in front of the insurance platform
 * simulator: the authorisation exchanges (Alipay's alipay.system.oauth.token +
 * alipay.commerce.medical.authinfo.auth.query, from the SDK's models; WeChat's stand-in, since Tencent's is
 * not published). Never deployed.
 */
import type { InsurancePlatform } from './insurance-platform';

type AlipayReply = (obj: Record<string, unknown>) => string;
type AlipayFail = (code: string, msg: string, sub_code: string, sub_msg: string) => string;

/** The medical products over the platform. */
export function medicalSimulator(platform: InsurancePlatform) {
  /** Access tokens Alipay issued for authorisations (alipay.system.oauth.token). */
  const tokens = new Map<string, string>();

  /** Handles the Alipay medical methods; undefined for others. */
  function alipayMethod(
    method: string,
    params: Readonly<Record<string, string>>,
    biz: Record<string, any>,
    reply: AlipayReply,
    fail: AlipayFail,
  ): string | undefined {
    switch (method) {
      case 'alipay.system.oauth.token': {
        if (params.grant_type !== 'authorization_code')
          return fail('40002', 'Invalid Arguments', 'isv.grant-type-invalid', 'grant_type参数不正确');
        const a = platform.exchange(params.code ?? '');
        if (typeof a === 'string')
          return fail(
            '40002',
            'Invalid Arguments',
            'isv.code-invalid',
            '授权码(auth_code) 错误、状态不对或过期',
          );
        const accessToken = `AT${a.authCode}`;
        tokens.set(accessToken, a.authCode);
        return reply({
          code: '10000',
          msg: 'Success',
          user_id: a.payerId || '2088102122524333',
          access_token: accessToken,
          expires_in: '3600',
          refresh_token: `RT${a.authCode}`,
          re_expires_in: '3600',
        });
      }
      case 'alipay.commerce.medical.authinfo.auth.query': {
        const a = platform.authorisations.get(tokens.get(params.auth_token ?? '') ?? '');
        if (!a) return fail('40004', 'Business Failed', 'INVALID_AUTH_TOKEN', '用户授权令牌无效');
        if (biz.ol_biz_type_code !== '04107' || !biz.org_app_id)
          return fail('40002', 'Invalid Arguments', 'isv.invalid-parameter', 'ol_biz_type_code/org_app_id');
        return reply({
          code: '10000',
          msg: 'Success',
          data: {
            auth_no: a.authCode,
            auth_stas: '1',
            insu_org: a.insuredRegion,
            medical_card_id: `MC${a.psnNo}`,
            medical_card_inst_id: 'NATHSA',
            pay_auth_no: a.payAuthNo,
            rels_pay_flag: '0',
            req_biz_no: biz.req_biz_no,
          },
        });
      }
      default:
        return undefined;
    }
  }

  /** WeChat's exchange, a stand-in (Tencent's is not published): qrCode + openId → payAuthNo. */
  function wechatExchange(body: { qrCode?: string; openId?: string }): { status: number; body: object } {
    const a = platform.exchange(String(body.qrCode ?? ''));
    if (typeof a === 'string') return { status: 400, body: { code: `AUTH_CODE_${a}` } };
    if (a.payerId && a.payerId !== body.openId)
      return { status: 400, body: { code: 'AUTH_CODE_OTHER_USER' } };
    const [longitude, latitude] = a.location.split(',');
    return {
      status: 200,
      body: {
        payAuthNo: a.payAuthNo,
        cityId: a.insuredRegion,
        userLongitudeLatitude: { longitude, latitude },
      },
    };
  }

  return { alipayMethod, wechatExchange };
}

export type MedicalSimulator = ReturnType<typeof medicalSimulator>;
