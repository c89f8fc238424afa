/**
 * AuthExchange for Alipay: the mini-program's `my.getAuthCode({scopes:['auth_user','nhsamp']})` code is
 * exchanged with `alipay.system.oauth.token` (grant_type=authorization_code: user_id / open_id and an
 * access_token; the code is single-use, `isv.code-invalid` when wrong, used or expired: opendocs.alipay.com
 * /support/01rg6z), then `alipay.commerce.medical.authinfo.auth.query` (alipay-sdk-java-all
 * AlipayCommerceMedicalAuthinfoAuthQueryModel: ol_biz_type_code 04107 医保移动支付, org_app_id required for
 * 04107, org_chnl_crtf_code, org_code, req_biz_no) answers `data` = MedicalNationalPayAuthInfo, whose
 * pay_auth_no is present only when auth_stas=1 and the business is 04107. Without it the patient must first
 * confirm at `auth_url` (PROTOCOLS §1.3 (b)).
 * [inferred] The query is a user-authorised call and carries the user's access_token as `auth_token`.
 */
import { InsuranceAuthInvalidError } from '../../domain/insurance';
import { ProviderUnavailableError } from '../../domain/errors';
import type { AuthExchange } from '../../ports/insurance-auth';
import { alipayObject, alipayOk, type AlipayClient } from './client';

/** The hospital's identity at the national platform, as Alipay's medical products name it. */
export interface AlipayMedicalConfig {
  /** 定点医药机构代码 (org_code) and 机构渠道认证编码 (org_chnl_crtf_code). */
  readonly orgCode: string;
  readonly orgChannelCode: string;
  /** The hospital's app id at the national platform (org_app_id, required for 04107). */
  readonly orgAppId: string;
  /** Where the patient returns after confirming at auth_url (call_url). */
  readonly callUrl: string;
}

/** `1`: the user authorised (MedicalNationalPayAuthInfo.auth_stas). */
const AUTHORISED = '1';

/** Creates the Alipay exchange. */
export function alipayMedicalAuth(client: AlipayClient, config: AlipayMedicalConfig): AuthExchange {
  return {
    channel: 'alipay',
    async exchange({ authCode, payerId }) {
      const token = await client.exec('alipay.system.oauth.token', {}, undefined, {
        grant_type: 'authorization_code',
        code: authCode,
      });
      if (token.sub_code === 'isv.code-invalid')
        throw new InsuranceAuthInvalidError('the auth code is invalid, used or expired');
      if (!alipayOk(token) && !token.access_token)
        throw new ProviderUnavailableError(
          `Alipay did not exchange the auth code: ${token.sub_code ?? token.code}.`,
          {
            channel: 'alipay',
          },
        );
      const userId = token.open_id ?? token.user_id ?? '';
      if (payerId && userId !== payerId)
        throw new InsuranceAuthInvalidError('the authorisation belongs to another Alipay user');
      const r = await client.exec(
        'alipay.commerce.medical.authinfo.auth.query',
        {
          ...(token.open_id ? { open_id: token.open_id } : { alipay_user_id: token.user_id }),
          ol_biz_type_code: '04107',
          org_app_id: config.orgAppId,
          org_chnl_crtf_code: config.orgChannelCode,
          org_code: config.orgCode,
          req_biz_no: authCode,
          call_url: config.callUrl,
        },
        undefined,
        { auth_token: token.access_token ?? '' },
      );
      if (!alipayOk(r))
        throw new ProviderUnavailableError(
          `Alipay did not answer the authorisation query: ${r.sub_code ?? r.code}.`,
          {
            channel: 'alipay',
          },
        );
      const data = alipayObject(r, 'data');
      if (data.auth_stas !== AUTHORISED || !data.pay_auth_no)
        throw new InsuranceAuthInvalidError(
          data.auth_url
            ? `the patient must first confirm at ${data.auth_url}`
            : 'Alipay holds no authorisation',
        );
      return {
        payAuthNo: data.pay_auth_no,
        insuredRegion: data.insu_org ?? '',
        ...(data.medical_card_id
          ? { medicalCard: { id: data.medical_card_id, instId: data.medical_card_inst_id ?? 'NATHSA' } }
          : {}),
      };
    },
  };
}
