/**
 * CreditProvider for Alipay fund authorisation (资金预授权): `alipay.fund.auth.order.app.freeze` with
 * PRE_AUTH_ONLINE and Zhima credit enabled (an order string the mini-program submits), confirmation by
 * notification or `alipay.fund.auth.operation.detail.query`, capture with `alipay.trade.pay` PREAUTH_PAY
 * (auth_confirm_mode=COMPLETE releases the rest with it), and `alipay.fund.auth.order.unfreeze`.
 *
 * Partner mode (第三方应用授权, PROTOCOLS §3.2): `client` acts for the hospital's merchant (its
 * app_auth_token on every call and on the order string, client.ts actingFor), the merchant is the payee of
 * the authorisation and the seller of the capture, the capture carries
 * `extend_params.sys_service_provider_id` (the platform's PID, as every partner trade does), and the
 * notify_url names the hospital.
 */
import { ProviderUnavailableError, ValidationError } from '../../domain/errors';
import { formatYuan, parseYuan, type Fen } from '../../domain/money';
import type {
  AuthorisationState,
  CaptureRequest,
  CaptureState,
  CreditProvider,
} from '../../ports/credit-provider';
import { alipayOk, alipaySystemError, partnerTerms, type AlipayClient, type AlipayResult } from './client';
import { parseAlipayTime } from './notification';
import { ALIPAY_SUBJECT, providerText } from '../text/provider-text';

/** Ids, the notify URL and the payee; the SDK holds the keys. */
export interface AlipayCreditConfig {
  readonly sellerId: string;
  readonly notifyUrl: string;
}

const ORDER_STATUS: Readonly<Record<string, AuthorisationState['status']>> = {
  INIT: 'PENDING',
  AUTHORIZED: 'AUTHORISED',
  FINISH: 'FINISHED',
  CLOSED: 'CLOSED',
};

/** Sub-codes that mean the patient could not pay now: retry on the capture schedule. */
const PAYER_DECLINED = new Set([
  'ACQ.BUYER_BALANCE_NOT_ENOUGH',
  'ACQ.BUYER_BANKCARD_BALANCE_NOT_ENOUGH',
  'ACQ.PAYMENT_AUTH_CODE_INVALID',
  'ACQ.BUYER_ENABLE_STATUS_FORBID',
  'ACQ.PAYMENT_FAIL',
]);

const optionalYuan = (v: string | undefined): Fen | undefined => (v ? parseYuan(v) : undefined);

/** The hospital a partner-mode credit provider acts for, and its merchant's PID (2088…). */
export interface AlipayCreditPartner {
  readonly hospitalId: string;
  readonly merchantId: string;
}

/** Creates the Alipay credit provider: the platform's own merchant's, or given `partner` the hospital's. */
export function alipayCreditProvider(
  client: AlipayClient,
  config: AlipayCreditConfig,
  partner?: AlipayCreditPartner,
): CreditProvider {
  const { notifyUrl, attribution } = partnerTerms(config, partner?.hospitalId);
  /** The merchant the money goes to: the hospital's own in partner mode. */
  const payee = partner?.merchantId ?? config.sellerId;
  const exec = (method: string, biz: Record<string, unknown>) => client.exec(method, biz);
  const unavailable = (what: string, r: AlipayResult) =>
    new ProviderUnavailableError(`Alipay ${what} failed: ${r.sub_code ?? r.code}.`, {
      channel: 'alipay',
      subCode: r.sub_code,
    });

  async function queryAuthorisation(outOrderNo: string, outRequestNo: string): Promise<AuthorisationState> {
    const r = await exec('alipay.fund.auth.operation.detail.query', {
      out_order_no: outOrderNo,
      out_request_no: outRequestNo,
    });
    if (r.sub_code === 'AUTH_ORDER_NOT_EXIST' || r.sub_code === 'ORDER_NOT_EXIST')
      return { status: 'NOT_FOUND' };
    if (!alipayOk(r)) throw unavailable('authorisation query', r);
    return {
      status: ORDER_STATUS[r.order_status ?? ''] ?? 'PENDING',
      authNo: r.auth_no,
      authorisedFen: optionalYuan(r.total_freeze_amount ?? r.amount),
      creditFen: optionalYuan(r.credit_amount),
      confirmedAt: parseAlipayTime(r.gmt_trans),
    };
  }

  async function queryCapture(req: CaptureRequest): Promise<CaptureState> {
    const r = await exec('alipay.trade.query', { out_trade_no: req.outTradeNo });
    if (r.sub_code === 'ACQ.TRADE_NOT_EXIST') return { status: 'FAILED', reason: 'no trade' };
    if (!alipayOk(r)) throw unavailable('capture query', r);
    if (r.trade_status === 'TRADE_SUCCESS' || r.trade_status === 'TRADE_FINISHED')
      return {
        status: 'SUCCEEDED',
        providerTradeNo: r.trade_no,
        capturedFen: optionalYuan(r.total_amount),
        at: parseAlipayTime(r.send_pay_date) ?? new Date(),
      };
    return r.trade_status === 'WAIT_BUYER_PAY'
      ? { status: 'PENDING', providerTradeNo: r.trade_no }
      : { status: 'FAILED', reason: r.trade_status };
  }

  return {
    channel: 'alipay',

    authorise(req) {
      if (!('alipayUserId' in req.payer))
        throw new ValidationError('An Alipay credit visit needs payer.alipayUserId.', [
          { path: 'body.payer', message: 'alipayUserId required' },
        ]);
      const orderStr = client.orderString(
        'alipay.fund.auth.order.app.freeze',
        {
          out_order_no: req.outOrderNo,
          out_request_no: req.outRequestNo,
          order_title: req.title.slice(0, 50),
          amount: formatYuan(req.amountFen),
          product_code: 'PRE_AUTH_ONLINE',
          payee_user_id: payee,
          // Zhima credit first: a patient with enough credit freezes nothing.
          enable_pay_channels: JSON.stringify([
            { payChannelType: 'CREDITZHIMA' },
            { payChannelType: 'MONEY_FUND' },
            { payChannelType: 'PCREDIT_PAY' },
          ]),
          timeout_express: `${Math.max(1, Math.ceil((req.expiresAt.getTime() - Date.now()) / 60_000))}m`,
          extra_param: JSON.stringify({ category: 'HOSPITAL_CREDIT' }),
        },
        notifyUrl,
      );
      return Promise.resolve({ clientParams: { orderStr } });
    },

    queryAuthorisation,

    async capture(req) {
      const r = await exec('alipay.trade.pay', {
        out_trade_no: req.outTradeNo,
        total_amount: formatYuan(req.amountFen),
        subject: providerText(req.description, ALIPAY_SUBJECT),
        product_code: 'PREAUTH_PAY',
        auth_no: req.authNo,
        // COMPLETE: Alipay unfreezes what is left of the authorisation once this trade succeeds.
        auth_confirm_mode: 'COMPLETE',
        seller_id: payee,
        ...attribution,
        ...('alipayUserId' in req.payer ? { buyer_id: req.payer.alipayUserId } : {}),
      });
      if (alipayOk(r))
        return {
          status: 'SUCCEEDED',
          providerTradeNo: r.trade_no,
          capturedFen: optionalYuan(r.total_amount) ?? req.amountFen,
          at: parseAlipayTime(r.gmt_payment) ?? new Date(),
        };
      // Already captured under this out_trade_no (a re-run after a crash), or unknown outcome: ask.
      if (r.sub_code === 'ACQ.TRADE_HAS_SUCCESS' || r.code === '10003' || alipaySystemError(r))
        return queryCapture(req);
      if (PAYER_DECLINED.has(r.sub_code ?? '')) return { status: 'FAILED', reason: r.sub_code };
      throw unavailable('capture', r);
    },

    queryCapture,

    async release(req) {
      const state = await queryAuthorisation(req.outOrderNo, req.outRequestNo);
      if (state.status === 'NOT_FOUND' || state.status === 'PENDING') {
        // Never confirmed: close the authorisation so the patient cannot confirm it later.
        const r = await exec('alipay.fund.auth.operation.cancel', {
          out_order_no: req.outOrderNo,
          out_request_no: req.outRequestNo,
          remark: req.reason.slice(0, 100),
        });
        if (!alipayOk(r) && r.sub_code !== 'AUTH_ORDER_NOT_EXIST') throw unavailable('cancel', r);
        return;
      }
      if (state.status !== 'AUTHORISED') return; // already finished or closed
      const r = await exec('alipay.fund.auth.order.unfreeze', {
        auth_no: req.authNo ?? state.authNo,
        // Deterministic: repeating the release unfreezes once.
        out_request_no: `${req.outRequestNo}U`,
        amount: formatYuan(req.amountFen),
        remark: req.reason.slice(0, 100),
      });
      if (!alipayOk(r)) throw unavailable('unfreeze', r);
    },
  };
}
