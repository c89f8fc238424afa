/* eslint-disable @typescript-eslint/no-unsafe-member-access -- API bodies are untyped JSON on the wire */
/**
 * CreditProvider for WeChat Pay Score (微信支付分) service orders: `POST /v3/payscore/serviceorder` with
 * need_user_confirm (the patient confirms in wx.openBusinessView, then PAYSCORE.USER_CONFIRM), `complete`
 * with total_amount and post_payments (WeChat collects it and notifies PAYSCORE.USER_PAID), `pay` to
 * ask for collection again, and `cancel` when nothing is owed.
 *
 * Partner mode (普通服务商, for a hospital's sub-merchant), from the partner Pay Score reference
 * (pay.weixin.qq.com/doc/v3/partner/4012692136 create; /docs/partner/apis/partner-weixin-pay-score/
 * partner-service-order/{get,complete,cancel,pay}-partner-service-order; wechatpay-im
 * openapi/v3/payscore/partner/serviceorder{,/{out_order_no}/{complete,cancel,pay}}):
 *   - every path is /v3/payscore/partner/serviceorder…;
 *   - create names the service provider's `appid`, the hospital's `sub_mchid` (and `sub_appid`), and the
 *     patient as `openid` (under appid) or `sub_openid` (under sub_appid);
 *   - query is `?service_id=&sub_mchid=&out_order_no=` (no appid); complete, cancel and pay name
 *     `service_id` and `sub_mchid` (no appid);
 *   - the confirmation's extraData mch_id is the service provider's (服务商商户号, the partner
 *     openBusinessView page), which is `config.mchId` in both modes.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { ProviderUnavailableError, ValidationError } from '../../domain/errors';
import { fen } from '../../domain/money';
import type { Clock } from '../../ports/clock';
import type { AuthorisationState, CaptureState, CreditProvider } from '../../ports/credit-provider';
import {
  parseWechatTime,
  payScoreTime,
  wechatFailed,
  wechatpayApi,
  type WechatJson,
  type WechatpayConfig,
} from './client';
import type { WechatPartner } from './provider';
import { hospitalUrl } from '../../domain/hospital';

/** The HMAC-SHA256 sign of wx.openBusinessView extraData: the v2 algorithm, keyed with the APIv3 key. */
export function payScoreExtraDataSign(fields: Readonly<Record<string, string>>, apiV3Key: string): string {
  const content = Object.keys(fields)
    .sort()
    .map((k) => `${k}=${fields[k]}`)
    .join('&');
  return createHmac('sha256', apiV3Key).update(`${content}&key=${apiV3Key}`).digest('hex').toUpperCase();
}

/** Creates the Pay Score provider for one service id: the merchant's own, or given `partner` its sub-merchant's. */
export function payScoreProvider(
  config: WechatpayConfig & { readonly serviceId: string },
  clock: Clock,
  partner?: WechatPartner,
): CreditProvider {
  const call = wechatpayApi(config, () => clock.now());
  const enc = encodeURIComponent;
  const base = partner ? '/v3/payscore/partner/serviceorder' : '/v3/payscore/serviceorder';
  const order = (outOrderNo: string, action: string) => `${base}/${enc(outOrderNo)}/${action}`;
  /** Who a service order is for: the merchant's app, or the service provider's sub-merchant. */
  const merchant: Readonly<Record<string, string>> = partner
    ? { service_id: config.serviceId, sub_mchid: partner.subMchId }
    : { appid: config.appId, service_id: config.serviceId };
  /** Each partner order's notify_url names its hospital (as the payment provider's do). */
  const notifyUrl = hospitalUrl(config.notifyUrl, partner?.hospitalId);
  const unavailable = (what: string, code?: string) =>
    new ProviderUnavailableError(`WeChat Pay Score ${what} failed: ${code ?? 'unknown'}.`, {
      channel: 'wechatpay',
      code,
    });

  async function get(outOrderNo: string): Promise<WechatJson | undefined> {
    const query = new URLSearchParams({ ...merchant, out_order_no: outOrderNo });
    const r = await call('payscore.query', 'GET', `${base}?${query.toString()}`);
    if (wechatFailed(r)) {
      if (r.status === 404 || r.code === 'ORDER_NOT_EXIST') return undefined;
      throw unavailable('query', r.code);
    }
    return r.data;
  }

  const captureState = (o: WechatJson | undefined): CaptureState => {
    const collection = o?.collection as
      | {
          state?: string;
          paid_amount?: number;
          details?: Array<{ transaction_id?: string; paid_time?: string }>;
        }
      | undefined;
    if (!o) return { status: 'FAILED', reason: 'no service order' };
    if (collection?.state === 'USER_PAID') {
      const last = collection.details?.at(-1);
      return {
        status: 'SUCCEEDED',
        providerTradeNo: last?.transaction_id,
        capturedFen: fen(collection.paid_amount ?? 0),
        at: parseWechatTime(last?.paid_time) ?? clock.now(),
      };
    }
    if (o.state_description === 'MCH_COMPLETE' || collection?.state === 'USER_PAYING')
      return { status: 'PENDING' };
    return { status: 'FAILED', reason: `service order ${String(o.state)}` };
  };

  return {
    channel: 'wechatpay',

    async authorise(req) {
      if (!('wechatOpenId' in req.payer))
        throw new ValidationError('A WeChat Pay Score visit needs payer.wechatOpenId.', [
          { path: 'body.payer', message: 'wechatOpenId required' },
        ]);
      const openid = req.payer.wechatOpenId;
      const r = await call('payscore.create', 'POST', base, {
        out_order_no: req.outOrderNo,
        appid: config.appId,
        service_id: config.serviceId,
        ...(partner
          ? {
              sub_mchid: partner.subMchId,
              ...(partner.subAppId ? { sub_appid: partner.subAppId, sub_openid: openid } : { openid }),
            }
          : { openid }),
        service_introduction: req.title.slice(0, 20),
        time_range: { start_time: 'OnAccept' },
        risk_fund: { name: 'ESTIMATE_ORDER_COST', amount: req.amountFen, description: '就医信用额度' },
        notify_url: notifyUrl,
        need_user_confirm: true,
      });
      if (wechatFailed(r)) throw unavailable('create', r.code);
      const extraData = {
        mch_id: config.mchId,
        package: String(r.data.package),
        timestamp: String(Math.floor(clock.now().getTime() / 1000)),
        nonce_str: randomBytes(16).toString('hex'),
        sign_type: 'HMAC-SHA256',
      };
      return {
        clientParams: {
          businessType: 'wxpayScoreUse',
          extraData: { ...extraData, sign: payScoreExtraDataSign(extraData, config.apiV3Key) },
        },
      };
    },

    async queryAuthorisation(outOrderNo): Promise<AuthorisationState> {
      const o = await get(outOrderNo);
      if (!o) return { status: 'NOT_FOUND' };
      const status: AuthorisationState['status'] =
        o.state === 'CREATED'
          ? 'PENDING'
          : o.state === 'DOING'
            ? o.state_description === 'USER_CONFIRM'
              ? 'AUTHORISED'
              : 'FINISHED'
            : o.state === 'DONE'
              ? 'FINISHED'
              : 'CLOSED';
      const risk = o.risk_fund?.amount as number | undefined;
      return {
        status,
        authNo: o.order_id as string | undefined,
        authorisedFen: risk === undefined ? undefined : fen(risk),
        creditFen: risk === undefined ? undefined : fen(risk),
        confirmedAt: status === 'AUTHORISED' ? clock.now() : undefined,
      };
    },

    async capture(req) {
      const current = await get(req.outOrderNo);
      if (!current) return { status: 'FAILED', reason: 'no service order' };
      if (current.state === 'DOING' && current.state_description === 'USER_CONFIRM') {
        const r = await call('payscore.complete', 'POST', order(req.outOrderNo, 'complete'), {
          ...merchant,
          post_payments: req.lines.map((l) => ({ name: l.name.slice(0, 20), amount: l.amountFen })),
          total_amount: req.amountFen,
          time_range: { end_time: payScoreTime(clock.now()) },
        });
        if (wechatFailed(r)) throw unavailable('complete', r.code);
        return captureState(r.data);
      }
      const state = captureState(current);
      if (state.status === 'PENDING') {
        // Completed before, still collecting: ask WeChat to collect again (商户发起催收扣款).
        const r = await call('payscore.pay', 'POST', order(req.outOrderNo, 'pay'), merchant);
        if (wechatFailed(r) && r.code !== 'INVALID_REQUEST') throw unavailable('pay', r.code);
      }
      return state;
    },

    async queryCapture(req) {
      return captureState(await get(req.outOrderNo));
    },

    async release(req) {
      const o = await get(req.outOrderNo);
      if (!o || o.state === 'REVOKED' || o.state === 'EXPIRED' || o.state === 'DONE') return;
      if (o.state_description === 'MCH_COMPLETE') return; // completed: the rest was never collectable
      const r = await call('payscore.cancel', 'POST', order(req.outOrderNo, 'cancel'), {
        ...merchant,
        reason: req.reason.slice(0, 50),
      });
      if (wechatFailed(r)) throw unavailable('cancel', r.code);
    },
  };
}
