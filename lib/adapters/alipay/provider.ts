/** PaymentProvider for Alipay (trade.create / precreate / wap.pay / pay by code / cancel / query / close / refund) on the lean gateway client. */
import { ProviderUnavailableError, ValidationError } from '../../domain/errors';
import { formatYuan, parseYuan } from '../../domain/money';
import type { RefundDestination } from '../../domain/refund-progress';
import type {
  CodePayRequest,
  CodePayState,
  CreateOrderRequest,
  CreateOrderResponse,
  OrderState,
  PaymentProvider,
  RefundRequest,
  RefundState,
  ReversalOutcome,
} from '../../ports/payment-provider';
import { alipayOk, alipaySystemError, partnerTerms, type AlipayClient } from './client';
import { toShanghaiDateTime } from '../../domain/business-day';
import { alipayNotificationVerifier, parseAlipayTime, type AlipayNotificationConfig } from './notification';
import { ALIPAY_SUBJECT, providerText } from '../text/provider-text';
import { alipayComplaintDesk } from './complaints';

/** Ids and the notify URL; the SDK (built in the composition root) holds keys and the gateway. */
export interface AlipayConfig extends AlipayNotificationConfig {
  readonly notifyUrl: string;
}

/** The hospital a partner-mode provider acts for; its client acts for the merchant (client.ts, actingFor). */
export interface AlipayPartner {
  readonly hospitalId: string;
}

/**
 * Where an Alipay refund goes, from refund_detail_item_list (TradeFundBill: fund_channel ALIPAYACCOUNT is the
 * balance, BANKCARD a bank card with fund_type DEBIT_CARD / CREDIT_CARD / MIXED_CARD; the rest, e.g. PCREDIT
 * 花呗, go back to the instrument that paid). The largest part names it.
 */
export function alipayRefundDestination(items: unknown): RefundDestination | undefined {
  const list = Array.isArray(items) ? (items as Array<Record<string, unknown>>) : [];
  // The amounts are yuan strings: compared in fen (a malformed one counts for nothing).
  const fenOf = (v: unknown) => {
    try {
      return parseYuan(String(v));
    } catch {
      return 0;
    }
  };
  const main = [...list].sort((a, b) => fenOf(b.amount) - fenOf(a.amount))[0];
  const channel = typeof main?.fund_channel === 'string' ? main.fund_channel : undefined;
  if (!channel) return undefined;
  if (channel === 'ALIPAYACCOUNT') return { kind: 'BALANCE', account: '支付宝余额' };
  if (channel === 'BANKCARD') {
    const cards: Readonly<Record<string, string>> = {
      DEBIT_CARD: '借记卡',
      CREDIT_CARD: '信用卡',
      MIXED_CARD: '借贷合一卡',
    };
    const card = cards[String(main?.fund_type)];
    return { kind: 'BANK_CARD', account: `银行卡${card ? `（${card}）` : ''}` };
  }
  return { kind: 'OTHER', account: channel };
}

/**
 * Creates the Alipay provider: for the platform's own merchant (direct mode), or, given `partner`, for a
 * merchant that authorised the platform's app (PROTOCOLS §3.2, jeepay J1, dax-pay): `client` then carries
 * the merchant's `app_auth_token` on every call (actingFor), trade bodies carry
 * `extend_params.sys_service_provider_id` (the platform's PID, `config.sellerId`), and the notify_url names
 * the hospital.
 */
export function alipayProvider(
  client: AlipayClient,
  config: AlipayConfig,
  partner?: AlipayPartner,
): PaymentProvider {
  const { notifyUrl, attribution } = partnerTerms(config, partner?.hospitalId);
  const exec = (method: string, biz: Record<string, unknown>, withNotify = false) =>
    client.exec(method, biz, withNotify ? notifyUrl : undefined);
  const ok = alipayOk;
  const systemError = alipaySystemError;

  async function createOrder(req: CreateOrderRequest): Promise<CreateOrderResponse> {
    const expire = toShanghaiDateTime(req.expiresAt);
    const common = {
      out_trade_no: req.outTradeNo,
      total_amount: formatYuan(req.amountFen),
      subject: providerText(req.description, ALIPAY_SUBJECT),
      time_expire: expire,
      ...attribution,
    };
    if (req.mode === 'h5') {
      // alipay.trade.wap.pay is a page: the browser is sent to the gateway with the signed parameters
      // (alipay-sdk's pageExec with GET). product_code QUICK_WAP_WAY; quit_url and return_url bring the
      // browser back (AlipayTradeWapPayModel).
      const back = req.returnUrl ? { quit_url: req.returnUrl } : {};
      const query = client.orderString(
        'alipay.trade.wap.pay',
        { ...common, product_code: 'QUICK_WAP_WAY', ...back },
        notifyUrl,
        req.returnUrl ? { return_url: req.returnUrl } : {},
      );
      return { clientParams: { payUrl: `${client.gateway}?${query}` } };
    }
    if (req.mode === 'qr') {
      const r = await exec('alipay.trade.precreate', common, true);
      // ACQ.TRADE_HAS_SUCCESS ("交易已被支付"): this out_trade_no is paid; the order's state must be asked for.
      if (r.sub_code === 'ACQ.TRADE_HAS_SUCCESS') return { clientParams: {}, alreadyPaid: true };
      if (!ok(r))
        throw new ProviderUnavailableError(`Alipay refused the order: ${r.sub_code ?? r.code}.`, {
          channel: 'alipay',
          subCode: r.sub_code,
        });
      return { clientParams: { qrCode: String(r.qr_code) } };
    }
    if (!(req.payer && 'alipayUserId' in req.payer)) {
      throw new ValidationError('An Alipay mini-program payment needs payer.alipayUserId.', [
        { path: 'body.payer', message: 'alipayUserId required' },
      ]);
    }
    const r = await exec(
      'alipay.trade.create',
      { ...common, buyer_id: req.payer.alipayUserId, product_code: 'JSAPI_PAY' },
      true,
    );
    if (r.sub_code === 'ACQ.TRADE_HAS_SUCCESS') return { clientParams: {}, alreadyPaid: true };
    if (!ok(r))
      throw new ProviderUnavailableError(`Alipay refused the order: ${r.sub_code ?? r.code}.`, {
        channel: 'alipay',
        subCode: r.sub_code,
      });
    return { clientParams: { tradeNo: String(r.trade_no) } };
  }

  async function queryOrder(outTradeNo: string): Promise<OrderState> {
    const r = await exec('alipay.trade.query', { out_trade_no: outTradeNo });
    if (r.sub_code === 'ACQ.TRADE_NOT_EXIST') return { status: 'NOT_FOUND' };
    if (!ok(r) || systemError(r))
      throw new ProviderUnavailableError(`Alipay query failed: ${r.sub_code ?? r.code}.`, {
        channel: 'alipay',
      });
    const paid = r.trade_status === 'TRADE_SUCCESS' || r.trade_status === 'TRADE_FINISHED';
    return {
      status: paid ? 'PAID' : r.trade_status === 'TRADE_CLOSED' ? 'CLOSED' : 'PENDING',
      providerTradeNo: r.trade_no,
      amountFen: r.total_amount ? parseYuan(r.total_amount) : undefined,
      paidAt: paid ? parseAlipayTime(r.send_pay_date) : undefined,
      payerId: paid ? r.buyer_user_id || undefined : undefined,
    };
  }

  /**
   * 当面付 条码支付: alipay.trade.pay with scene bar_code and the auth_code (A11, AL-W3); terminal_id, store_id and
   * operator_id name the counter. notify_url is sent: a 10003 may end in a success notification (ISS-ALI).
   * `code`: 10000 paid (with buyer_user_id and gmt_payment, AlipayTradePayResponse); 10003 the patient is
   * entering a password: query on, never a failure; 20000 or ACQ.SYSTEM_ERROR unknown: query now (AL-POLL,
   * AL-ACQ); ACQ.TRADE_HAS_SUCCESS: this out_trade_no is paid, the query says by whom; any other 40004
   * (ACQ.PAYMENT_AUTH_CODE_INVALID 支付授权码无效, ACQ.BUYER_BALANCE_NOT_ENOUGH, …): refused.
   */
  async function payByCode(req: CodePayRequest): Promise<CodePayState> {
    let r;
    try {
      r = await exec(
        'alipay.trade.pay',
        {
          out_trade_no: req.outTradeNo,
          scene: 'bar_code',
          auth_code: req.authCode,
          total_amount: formatYuan(req.amountFen),
          subject: providerText(req.description, ALIPAY_SUBJECT),
          terminal_id: req.counter.deviceId,
          operator_id: req.counter.staffId,
          ...(req.counter.windowId ? { store_id: req.counter.windowId } : {}),
          ...attribution,
        },
        true,
      );
    } catch (error) {
      if (error instanceof ProviderUnavailableError) return { status: 'PENDING' };
      throw error;
    }
    if (ok(r))
      return {
        status: 'PAID',
        providerTradeNo: r.trade_no,
        amountFen: r.total_amount ? parseYuan(r.total_amount) : undefined,
        paidAt: parseAlipayTime(r.gmt_payment),
        payerId: r.buyer_user_id || undefined,
      };
    if (r.code === '10003' || systemError(r)) return { status: 'PENDING' };
    if (r.sub_code === 'ACQ.TRADE_HAS_SUCCESS') return queryOrder(req.outTradeNo);
    return {
      status: 'CLOSED',
      refused: { code: r.sub_code ?? r.code ?? 'unknown', message: r.sub_msg ?? r.msg ?? '' },
    };
  }

  /**
   * alipay.trade.cancel (A13): `action` close (unpaid, closed) or refund (it had been paid: the money goes
   * back); retry_flag Y, or no answer, means call again. Valid within 24 h of the order (AL-POLL).
   */
  async function reverseOrder(outTradeNo: string): Promise<ReversalOutcome> {
    let r;
    try {
      r = await exec('alipay.trade.cancel', { out_trade_no: outTradeNo });
    } catch (error) {
      if (error instanceof ProviderUnavailableError) return 'retry';
      throw error;
    }
    if (r.sub_code === 'ACQ.TRADE_NOT_EXIST') return 'done';
    return ok(r) && r.retry_flag !== 'Y' ? 'done' : 'retry';
  }

  async function closeOrder(outTradeNo: string): Promise<OrderState> {
    const r = await exec('alipay.trade.close', { out_trade_no: outTradeNo });
    if (ok(r)) return { status: 'CLOSED' };
    // ACQ.TRADE_NOT_EXIST: the patient never opened the cashier, so nothing exists to pay: closed for us.
    // ACQ.TRADE_STATUS_ERROR: it was paid meanwhile; the query says so.
    const state = await queryOrder(outTradeNo);
    return state.status === 'NOT_FOUND' ? { status: 'CLOSED' } : state;
  }

  async function refund(req: RefundRequest): Promise<RefundState> {
    const r = await exec('alipay.trade.refund', {
      out_trade_no: req.outTradeNo,
      refund_amount: formatYuan(req.amountFen),
      out_request_no: req.outRefundNo, // deterministic on every refund, partial or not
      refund_reason: req.reason.slice(0, 256),
      // "退款使用的资金渠道…入参的query_options中指定时才返回" (alipay.trade.refund refund_detail_item_list).
      query_options: ['refund_detail_item_list'],
    });
    if (ok(r)) {
      const destination = alipayRefundDestination(r.refund_detail_item_list);
      return {
        status: 'SUCCEEDED',
        succeededAt: parseAlipayTime(r.gmt_refund_pay) ?? new Date(),
        ...(destination ? { destination } : {}),
      };
    }
    if (systemError(r)) return queryRefund(req.outTradeNo, req.outRefundNo);
    return { status: 'FAILED' };
  }

  async function queryRefund(outTradeNo: string, outRefundNo: string): Promise<RefundState> {
    const r = await exec('alipay.trade.fastpay.refund.query', {
      out_trade_no: outTradeNo,
      out_request_no: outRefundNo,
      query_options: ['gmt_refund_pay'],
    });
    if (r.sub_code === 'ACQ.TRADE_NOT_EXIST') return { status: 'NOT_FOUND' };
    if (!ok(r))
      throw new ProviderUnavailableError(`Alipay refund query failed: ${r.sub_code ?? r.code}.`, {
        channel: 'alipay',
      });
    return r.refund_status === 'REFUND_SUCCESS'
      ? { status: 'SUCCEEDED', succeededAt: parseAlipayTime(r.gmt_refund_pay) ?? new Date() }
      : { status: 'NOT_FOUND' };
  }

  return {
    channel: 'alipay',
    createOrder,
    queryOrder,
    closeOrder,
    refund,
    queryRefund,
    verifyNotification: alipayNotificationVerifier(client, config).verifyNotification,
    payByCode,
    reverseOrder,
    complaints: alipayComplaintDesk(client),
  };
}
