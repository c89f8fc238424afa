/**
 * AuthExchange for WeChat: the 医保 authorisation mini-program returns an `authCode`
 * (`referrerInfo.extraData.authCode`, PROTOCOLS §1.2), which the backend exchanges for a payAuthNo, the
 * patient's location and city. Tencent documents that exchange only in "用户授权接入文档(payAuthNo版本)"
 * (docs.qq.com, not public), so its path, signing and field names are NOT known here. This adapter speaks a
 * stand-in (the sandbox's) that uses the names a published hospital front end's backend type carries
 * (cqc-hub/stand3.0 TWxAuthorize: qrCode + openId in; payAuthNo, userLongitudeLatitude {longitude,
 * latitude}, cityId out). Replacing it with Tencent's protocol is a go-live step (docs/insurance.md).
 */
import { InsuranceAuthInvalidError } from '../../domain/insurance';
import { ProviderUnavailableError } from '../../domain/errors';
import type { AuthExchange } from '../../ports/insurance-auth';

/** Where the exchange is. */
export interface WechatMedicalAuthConfig {
  readonly url: string;
  readonly timeoutMs?: number;
}

/** Creates the WeChat exchange (stand-in protocol). */
export function wechatMedicalAuth(config: WechatMedicalAuthConfig): AuthExchange {
  return {
    channel: 'wechatpay',
    async exchange({ authCode, payerId }) {
      let res: Response;
      try {
        res = await fetch(config.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ qrCode: authCode, openId: payerId }),
          signal: AbortSignal.timeout(config.timeoutMs ?? 5_000),
        });
      } catch (error) {
        throw new ProviderUnavailableError(
          'The WeChat insurance authorisation did not answer.',
          {},
          { cause: error },
        );
      }
      const body = (await res.json().catch(() => ({}))) as {
        code?: string;
        payAuthNo?: string;
        cityId?: string;
        userLongitudeLatitude?: { longitude?: string; latitude?: string };
      };
      if (res.status >= 400 && res.status < 500)
        throw new InsuranceAuthInvalidError(body.code ?? `HTTP ${res.status}`);
      if (!res.ok || !body.payAuthNo)
        throw new ProviderUnavailableError(
          `The WeChat insurance authorisation answered HTTP ${res.status}.`,
          {},
        );
      const where = body.userLongitudeLatitude;
      return {
        payAuthNo: body.payAuthNo,
        insuredRegion: body.cityId ?? '',
        ...(where?.longitude && where.latitude ? { location: `${where.longitude},${where.latitude}` } : {}),
      };
    },
  };
}
