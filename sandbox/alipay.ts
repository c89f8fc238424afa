/**
 * The Alipay open gateway as the sandbox plays it: RSA2 request signatures checked, `<method>_response`
 * answers and trade_status_sync notifications signed with the platform key. Never deployed.
 */
import { randomBytes } from 'node:crypto';
import { formatYuan, parseYuan, type Fen } from '../lib/domain/money';
import { ALIPAY_MERCHANTS, type Books, type Order, type Refund } from './books';
import type { SandboxParts } from './server';
import { alipaySignContent, alipayTime, rsaSign, rsaVerify } from './signing';

/** The message Alipay pushes when a merchant cancels its authorisation of an app (PROTOCOLS §3.2). */
const APP_AUTH_CANCELLED = 'alipay.open.auth.appauth.cancelled';

/** How long a refresh token lives (re_expires_in, seconds): the value the sandbox answers with. */
const RE_EXPIRES_IN_SEC = 32_140_800;

/** The Alipay surface over `books`; `parts` gives the credit products and bill files. */
export function alipaySurface(books: Books, parts: SandboxParts) {
  const { options, orders, refunds, settings, key, id, baseUrl, notify } = books;
  /**
   * Third-party app authorisation (第三方应用授权, PROTOCOLS §3.2): single-use app_auth_codes a merchant's
   * consent gives (AL-ISV1: single use, 24 h), and the tokens exchanged for them, valid until revoked.
   */
  const appAuth = {
    codes: new Map<string, { authAppId: string; expiresAt: number }>(),
    tokens: new Map<string, { authAppId: string; valid: boolean; issuedAt: number; expiresAt: number }>(),
  };
  const merchantOf = (authAppId: string | undefined) =>
    ALIPAY_MERCHANTS.find((m) => m.authAppId === authAppId);
  /**
   * A trade_status_sync as Alipay sends it (tests/conformance, facts L1–L2): a payment, or after a
   * refund the same trade with refund_fee (the total refunded so far), gmt_refund (with milliseconds) and
   * out_biz_no (the refund's out_request_no), TRADE_CLOSED once fully refunded.
   */
  const alipayNotification = (order: Order, tamper?: 'probe', refund?: Refund) => () => {
    const refundFields: Record<string, string> = refund
      ? {
          trade_status: order.refundedFen >= order.amountFen ? 'TRADE_CLOSED' : 'TRADE_SUCCESS',
          refund_fee: formatYuan(order.refundedFen as Fen),
          gmt_refund: `${alipayTime(refund.succeededAt ?? new Date())}.000`,
          out_biz_no: refund.outRefundNo,
          ...(order.refundedFen >= order.amountFen ? { gmt_close: alipayTime(new Date()) } : {}),
        }
      : {};
    // A partner trade names the platform's app as app_id, the merchant's app as auth_app_id and the merchant
    // as seller_id (PROTOCOLS §3.2 [weak]: the notify parameter table read in cloud.tencent.com/developer/video/56724).
    const merchant = merchantOf(order.authAppId);
    const params: Record<string, string> = {
      notify_time: alipayTime(new Date()),
      notify_type: 'trade_status_sync',
      notify_id: randomBytes(16).toString('hex'),
      charset: 'utf-8',
      version: '1.0',
      app_id: options.alipay.appId,
      ...(merchant ? { auth_app_id: merchant.authAppId } : {}),
      seller_id: merchant?.merchantId ?? options.alipay.sellerId,
      trade_no: order.providerTradeNo,
      out_trade_no: order.outTradeNo,
      buyer_id: order.payer ?? '2088102122524333',
      trade_status: 'TRADE_SUCCESS',
      total_amount: formatYuan(order.amountFen),
      receipt_amount: formatYuan(order.amountFen),
      buyer_pay_amount: formatYuan(order.amountFen),
      subject: order.description,
      gmt_create: alipayTime(order.createdAt),
      gmt_payment: alipayTime(order.paidAt ?? new Date()),
      ...refundFields,
    };
    const sign = rsaSign(alipaySignContent(params, ['sign', 'sign_type']), options.alipay.platformPrivateKey);
    if (tamper === 'probe') params.total_amount = formatYuan((order.amountFen + 1) as Fen); // signed over the old amount
    return {
      url: order.notifyUrl,
      body: new URLSearchParams({ ...params, sign_type: 'RSA2', sign }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    };
  };

  // ── Alipay gateway ──
  function alipayGateway(query: URLSearchParams, form: URLSearchParams) {
    const params: Record<string, string> = { ...Object.fromEntries(query), ...Object.fromEntries(form) };
    const method = params.method ?? 'unknown';
    const responseKey = `${method.replaceAll('.', '_')}_response`;
    const reply = (obj: Record<string, unknown>) => {
      const text = JSON.stringify(obj);
      return `{"${responseKey}":${text},"sign":"${rsaSign(text, options.alipay.platformPrivateKey)}"}`;
    };
    const fail = (code: string, msg: string, sub_code: string, sub_msg: string) =>
      reply({ code, msg, sub_code, sub_msg });
    if (params.app_id !== options.alipay.appId)
      return fail('40002', 'Invalid Arguments', 'isv.invalid-app-id', '无效的AppID参数');
    if (
      !params.sign ||
      !rsaVerify(alipaySignContent(params, ['sign']), params.sign, options.alipay.appPublicKey)
    ) {
      return fail('40002', 'Invalid Arguments', 'isv.invalid-signature', '验签出错');
    }
    let biz: Record<string, string> = {};
    try {
      biz = JSON.parse(params.biz_content ?? '{}') as Record<string, string>;
    } catch {
      return fail('40002', 'Invalid Arguments', 'isv.invalid-parameter', 'biz_content 不是 JSON');
    }
    // A call for a merchant carries its app_auth_token; a revoked or unknown one is refused as Alipay does
    // (20001 授权权限不足, sub_code aop.invalid-app-auth-token: developer.aliyun.com/ask/285051).
    let actingFor: string | undefined;
    if (params.app_auth_token !== undefined) {
      const grant = appAuth.tokens.get(params.app_auth_token);
      if (!grant?.valid || grant.expiresAt < Date.now())
        return fail(
          '20001',
          'Insufficient Token Permissions',
          'aop.invalid-app-auth-token',
          '无效的应用授权令牌',
        );
      actingFor = grant.authAppId;
    }
    // An order is the merchant's that made it: another merchant's (or the platform's own) is not found.
    const found = biz.out_trade_no ? orders.get(key('alipay', biz.out_trade_no)) : undefined;
    const order = found && found.authAppId === actingFor ? found : undefined;
    const ordering = ['alipay.trade.create', 'alipay.trade.precreate', 'alipay.trade.wap.pay'];
    if (found && !order && ordering.includes(method))
      return fail('40004', 'Business Failed', 'ACQ.CONTEXT_INCONSISTENT', '交易信息被篡改');
    const notFound = () => fail('40004', 'Business Failed', 'ACQ.TRADE_NOT_EXIST', '交易不存在');
    switch (method) {
      case 'alipay.trade.create':
      case 'alipay.trade.precreate':
      case 'alipay.trade.wap.pay': {
        let amountFen: Fen;
        try {
          amountFen = parseYuan(biz.total_amount ?? '');
        } catch {
          return fail('40002', 'Invalid Arguments', 'isv.invalid-parameter', 'total_amount 格式错误');
        }
        if (!biz.out_trade_no || amountFen <= 0 || !biz.subject)
          return fail('40002', 'Invalid Arguments', 'isv.missing-parameter', '缺少参数');
        // wap.pay: product_code QUICK_WAP_WAY is required (AlipayTradeWapPayModel).
        if (method === 'alipay.trade.wap.pay' && biz.product_code !== 'QUICK_WAP_WAY')
          return fail('40002', 'Invalid Arguments', 'isv.invalid-parameter', 'product_code 不合法');
        // subject: String, at most 256, "不可使用特殊字符，如 /，=，& 等" (help.aliyun.com/document_detail/2978207).
        if ([...biz.subject].length > 256 || /[/=&]/.test(biz.subject))
          return fail('40002', 'Invalid Arguments', 'isv.invalid-parameter', 'subject 不合法');
        const existing = order ?? {
          channel: 'alipay' as const,
          outTradeNo: biz.out_trade_no,
          amountFen,
          description: biz.subject ?? '',
          status: 'PENDING' as const,
          providerTradeNo: `${alipayTime(new Date()).replace(/\D/g, '').slice(0, 8)}2200${id('', 16)}`,
          notifyUrl: params.notify_url ?? '',
          payer: biz.buyer_id ?? biz.buyer_open_id,
          refundedFen: 0,
          createdAt: new Date(),
          tradeType:
            method === 'alipay.trade.wap.pay' ? 'QUICK_WAP_WAY' : method.slice('alipay.trade.'.length),
          ...(actingFor ? { authAppId: actingFor } : {}),
        };
        // Alipay's answers for a repeated out_trade_no: paid → ACQ.TRADE_HAS_SUCCESS ("交易已被支付"),
        // other parameters → ACQ.CONTEXT_INCONSISTENT ("交易信息被篡改").
        if (existing.status === 'PAID')
          return fail('40004', 'Business Failed', 'ACQ.TRADE_HAS_SUCCESS', '交易已被支付');
        if (existing.amountFen !== amountFen)
          return fail('40004', 'Business Failed', 'ACQ.CONTEXT_INCONSISTENT', '交易信息被篡改');
        orders.set(key('alipay', existing.outTradeNo), existing);
        // wap.pay is a page the browser opens (server.ts renders the cashier for this answer).
        if (method === 'alipay.trade.wap.pay')
          return reply({ code: '10000', msg: 'Success', out_trade_no: existing.outTradeNo });
        return method === 'alipay.trade.create'
          ? reply({
              code: '10000',
              msg: 'Success',
              out_trade_no: existing.outTradeNo,
              trade_no: existing.providerTradeNo,
            })
          : reply({
              code: '10000',
              msg: 'Success',
              out_trade_no: existing.outTradeNo,
              qr_code: (existing.qrCode = `https://qr.alipay.com/sandbox${existing.providerTradeNo}`),
            });
      }
      case 'alipay.trade.query': {
        if (!order) return notFound();
        // A code waiting for its password is WAIT_BUYER_PAY until paid (AL-POLL).
        const status =
          order.status === 'PAID'
            ? 'TRADE_SUCCESS'
            : order.status === 'CLOSED'
              ? 'TRADE_CLOSED'
              : 'WAIT_BUYER_PAY';
        return reply({
          code: '10000',
          msg: 'Success',
          trade_no: order.providerTradeNo,
          out_trade_no: order.outTradeNo,
          trade_status: status,
          total_amount: formatYuan(order.amountFen),
          ...(order.paidAt
            ? {
                send_pay_date: alipayTime(order.paidAt),
                buyer_pay_amount: formatYuan(order.amountFen),
                ...(order.payer ? { buyer_user_id: order.payer } : {}),
              }
            : {}),
        });
      }
      case 'alipay.trade.pay': {
        // A fund-authorisation capture (auth_no, product_code PREAUTH_PAY) is the credit product's.
        if (biz.auth_no !== undefined)
          return (
            parts.credit().alipayMethod(method, biz, reply, fail, actingFor) ??
            fail('40004', 'Business Failed', 'isv.invalid-method', 'no fund authorisation')
          );
        // 当面付 条码支付 (A11, AL-W3): the patient's code (payment-codes.ts). 10000 paid, 10003 waiting for the
        // password ("order success pay inprocess", AL-POLL), ACQ.PAYMENT_AUTH_CODE_INVALID for a code that
        // cannot pay (支付授权码无效: expired, used or unknown).
        let amountFen: Fen;
        try {
          amountFen = parseYuan(biz.total_amount ?? '');
        } catch {
          return fail('40002', 'Invalid Arguments', 'isv.invalid-parameter', 'total_amount 格式错误');
        }
        if (!biz.out_trade_no || !biz.auth_code || !biz.subject || amountFen <= 0)
          return fail('40002', 'Invalid Arguments', 'isv.missing-parameter', '缺少参数');
        if (biz.scene !== 'bar_code' && biz.scene !== 'security_code')
          return fail('40002', 'Invalid Arguments', 'isv.invalid-parameter', 'scene 不合法');
        if (found && !order)
          return fail('40004', 'Business Failed', 'ACQ.CONTEXT_INCONSISTENT', '交易信息被篡改');
        if (order && order.amountFen !== amountFen)
          return fail('40004', 'Business Failed', 'ACQ.CONTEXT_INCONSISTENT', '交易信息被篡改');
        if (order?.status === 'CLOSED')
          return fail('40004', 'Business Failed', 'ACQ.TRADE_HAS_CLOSE', '交易已经关闭');
        const paying: Order = order ?? {
          channel: 'alipay',
          outTradeNo: biz.out_trade_no,
          amountFen,
          description: biz.subject,
          status: 'PENDING',
          providerTradeNo: `${alipayTime(new Date()).replace(/\D/g, '').slice(0, 8)}2200${id('', 16)}`,
          notifyUrl: params.notify_url ?? '',
          refundedFen: 0,
          createdAt: new Date(),
          tradeType: 'FACE_TO_FACE_PAYMENT',
          deviceId: biz.terminal_id,
          ...(actingFor ? { authAppId: actingFor } : {}),
        };
        const outcome = parts.codes().scan('alipay', biz.auth_code, paying);
        if (outcome.kind === 'refused')
          return fail('40004', 'Business Failed', 'ACQ.PAYMENT_AUTH_CODE_INVALID', '支付授权码无效');
        orders.set(key('alipay', paying.outTradeNo), paying);
        const common = {
          trade_no: paying.providerTradeNo,
          out_trade_no: paying.outTradeNo,
          total_amount: formatYuan(paying.amountFen),
          buyer_user_id: paying.payer,
        };
        if (outcome.kind === 'paying')
          return reply({ code: '10003', msg: 'order success pay inprocess', ...common });
        if (settings.notifications && paying.notifyUrl)
          void notify('alipay', 'trade_status_sync', paying.outTradeNo, alipayNotification(paying));
        return reply({
          code: '10000',
          msg: 'Success',
          ...common,
          receipt_amount: formatYuan(paying.amountFen),
          buyer_pay_amount: formatYuan(paying.amountFen),
          gmt_payment: alipayTime(paying.paidAt ?? new Date()),
        });
      }
      case 'alipay.trade.cancel': {
        // A13: action close (unpaid: closed) or refund (paid: the money goes back); retry_flag N when done.
        if (!order) return notFound();
        const action = order.status === 'PAID' ? 'refund' : 'close';
        if (order.status === 'PAID') order.refundedFen = order.amountFen;
        order.status = 'CLOSED';
        order.revoked = true;
        return reply({
          code: '10000',
          msg: 'Success',
          trade_no: order.providerTradeNo,
          out_trade_no: order.outTradeNo,
          retry_flag: 'N',
          action,
        });
      }
      case 'alipay.trade.close': {
        if (!order) return notFound();
        if (order.status === 'PAID')
          return fail('40004', 'Business Failed', 'ACQ.TRADE_STATUS_ERROR', '交易状态不合法');
        order.status = 'CLOSED';
        return reply({
          code: '10000',
          msg: 'Success',
          trade_no: order.providerTradeNo,
          out_trade_no: order.outTradeNo,
        });
      }
      case 'alipay.trade.refund': {
        if (!order) return notFound();
        if (order.status !== 'PAID')
          return fail('40004', 'Business Failed', 'ACQ.TRADE_STATUS_ERROR', '交易状态不合法');
        const requestNo = biz.out_request_no ?? order.outTradeNo;
        let amountFen: Fen;
        try {
          amountFen = parseYuan(biz.refund_amount ?? '');
        } catch {
          return fail('40002', 'Invalid Arguments', 'isv.invalid-parameter', 'refund_amount 格式错误');
        }
        const existing = refunds.get(key('alipay', requestNo));
        if (!existing) {
          if (order.refundedFen + amountFen > order.amountFen)
            return fail('40004', 'Business Failed', 'ACQ.REFUND_AMT_NOT_EQUAL_TOTAL', '退款金额超限');
          order.refundedFen += amountFen;
          const refund: Refund = {
            channel: 'alipay',
            outTradeNo: order.outTradeNo,
            outRefundNo: requestNo,
            amountFen,
            status: 'SUCCESS',
            refundId: requestNo,
            succeededAt: new Date(),
            ...(order.payer ? { payer: order.payer } : {}),
          };
          refunds.set(key('alipay', requestNo), refund);
          // Alipay also notifies the payment's notify_url of the refund.
          if (settings.notifications && order.notifyUrl)
            void notify('alipay', 'refund', requestNo, alipayNotification(order, undefined, refund));
        }
        return reply({
          code: '10000',
          msg: 'Success',
          trade_no: order.providerTradeNo,
          out_trade_no: order.outTradeNo,
          fund_change: existing ? 'N' : 'Y',
          refund_fee: formatYuan(order.refundedFen as Fen),
          gmt_refund_pay: alipayTime(new Date()),
          // Only when asked for in query_options (alipay.trade.refund: refund_detail_item_list).
          ...(Array.isArray(biz.query_options) && biz.query_options.includes('refund_detail_item_list')
            ? {
                refund_detail_item_list: [
                  {
                    fund_channel: settings.alipayRefund.fundChannel,
                    amount: formatYuan(amountFen),
                    real_amount: formatYuan(amountFen),
                    ...(settings.alipayRefund.fundType ? { fund_type: settings.alipayRefund.fundType } : {}),
                  },
                ],
              }
            : {}),
        });
      }
      case 'alipay.trade.fastpay.refund.query': {
        const refund = refunds.get(key('alipay', biz.out_request_no ?? ''));
        if (!order) return notFound();
        if (!refund) return reply({ code: '10000', msg: 'Success', out_trade_no: order.outTradeNo }); // no refund_status: not refunded
        return reply({
          code: '10000',
          msg: 'Success',
          out_trade_no: order.outTradeNo,
          out_request_no: refund.outRefundNo,
          refund_amount: formatYuan(refund.amountFen),
          total_amount: formatYuan(order.amountFen),
          refund_status: 'REFUND_SUCCESS',
          gmt_refund_pay: alipayTime(refund.succeededAt ?? new Date()),
        });
      }
      case 'alipay.open.auth.token.app': {
        // AlipayOpenAuthTokenAppModel (A14): grant_type authorization_code with code, or refresh_token. A code
        // lives 24 h (AL-ISV1); a refresh token re_expires_in seconds, and a revoked authorisation's refreshes
        // nothing: the merchant must authorise again (AL-ISV3).
        const now = Date.now();
        const code = biz.grant_type === 'authorization_code' ? appAuth.codes.get(biz.code ?? '') : undefined;
        const refreshed =
          biz.grant_type === 'refresh_token'
            ? appAuth.tokens.get((biz.refresh_token ?? '').replace(/^refresh-/, ''))
            : undefined;
        const grant = code ?? refreshed;
        const usable = code
          ? code.expiresAt >= now
          : refreshed !== undefined &&
            refreshed.valid &&
            refreshed.issuedAt + RE_EXPIRES_IN_SEC * 1000 >= now;
        if (!grant || !usable)
          return fail('40002', 'Invalid Arguments', 'invalid auth_code', '授权码不存在或已过期');
        if (biz.grant_type === 'authorization_code') appAuth.codes.delete(biz.code ?? ''); // single use
        const merchant = merchantOf(grant.authAppId);
        if (!merchant) return fail('40002', 'Invalid Arguments', 'invalid auth_code', '授权码不存在或已过期');
        const token = `${alipayTime(new Date()).replace(/\D/g, '').slice(0, 8)}BB${randomBytes(16).toString('hex')}`;
        const ttlSec = settings.appAuthTokenTtlSec;
        appAuth.tokens.set(token, {
          authAppId: merchant.authAppId,
          valid: true,
          issuedAt: now,
          expiresAt: now + ttlSec * 1000,
        });
        // AlipayOpenAuthTokenAppResponse (A15): the token, its refresh token, the merchant's app and user id.
        return reply({
          code: '10000',
          msg: 'Success',
          app_auth_token: token,
          app_refresh_token: `refresh-${token}`,
          auth_app_id: merchant.authAppId,
          user_id: merchant.merchantId,
          expires_in: ttlSec,
          re_expires_in: RE_EXPIRES_IN_SEC,
        });
      }
      case 'alipay.open.auth.token.app.query': {
        // AlipayOpenAuthTokenAppQueryResponse (A16; the SDKs' response model): status valid | invalid, the
        // merchant's app and user id, the authorisation's start and end, expires_in (seconds left).
        const grant = appAuth.tokens.get(biz.app_auth_token ?? '');
        if (!grant) return fail('40004', 'Business Failed', 'invalid-app-auth-token', '无效的应用授权令牌');
        const merchant = merchantOf(grant.authAppId);
        const valid = grant.valid && grant.expiresAt > Date.now();
        return reply({
          code: '10000',
          msg: 'Success',
          user_id: merchant?.merchantId,
          auth_app_id: grant.authAppId,
          expires_in: Math.max(0, Math.floor((grant.expiresAt - Date.now()) / 1000)),
          auth_methods: ['alipay.trade.create', 'alipay.trade.refund', 'alipay.fund.auth.order.app.freeze'],
          auth_start: alipayTime(new Date(grant.issuedAt)),
          auth_end: alipayTime(new Date(grant.expiresAt)),
          status: valid ? 'valid' : 'invalid',
        });
      }
      case 'alipay.data.dataservice.bill.downloadurl.query': {
        const day = parts.billDay(biz.bill_date);
        if (biz.bill_type !== 'trade' || !day)
          return fail('40002', 'Invalid Arguments', 'isv.invalid-parameter', 'bill_type 或 bill_date 错误');
        if (!settings.billsAvailable)
          return fail('40004', 'Business Failed', 'isp.bill_not_exist', '账单不存在');
        return reply({
          code: '10000',
          msg: 'Success',
          // A merchant's bill, fetched with its app_auth_token (A17: 经开放平台授权后其所属服务商通过接口可以获取).
          bill_download_url: `${baseUrl()}/sandbox/bill-files/alipay/${day}.zip?downloadFileName=${day}.csv.zip${actingFor ? `&merchant=${actingFor}` : ''}`,
        });
      }
      default:
        return (
          parts.medical().alipayMethod(method, params, biz, reply, fail, actingFor) ??
          parts.credit().alipayMethod(method, biz, reply, fail, actingFor) ??
          parts.complaints().alipayMethod(method, biz, reply, fail, actingFor) ??
          fail('40004', 'Business Failed', 'isv.invalid-method', `sandbox does not implement ${method}`)
        );
    }
  }

  /** The merchant of `authAppId` authorises the platform's app: a single-use code valid 24 h (AL-ISV1). */
  function grantAppAuth(authAppId: string): string | undefined {
    if (!merchantOf(authAppId)) return undefined;
    const code = `P${randomBytes(16).toString('hex')}`;
    appAuth.codes.set(code, { authAppId, expiresAt: Date.now() + 24 * 3600_000 });
    return code;
  }

  /**
   * The merchant of `authAppId` cancels the authorisation: its tokens stop working, and Alipay pushes
   * alipay.open.auth.appauth.cancelled to the app's gateway (`url`). The message's field list is not
   * published (PROTOCOLS §3.2 [weak]); the sandbox sends msg_method, notify_id and biz_content.auth_app_id,
   * signed as notifications are (docs/hospitals.md names this assumption).
   */
  function revokeAppAuth(authAppId: string, url: string) {
    for (const grant of appAuth.tokens.values()) if (grant.authAppId === authAppId) grant.valid = false;
    const params: Record<string, string> = {
      notify_id: randomBytes(16).toString('hex'),
      msg_method: APP_AUTH_CANCELLED,
      app_id: options.alipay.appId,
      utc_timestamp: String(Date.now()),
      version: '1.1',
      charset: 'utf-8',
      biz_content: JSON.stringify({ auth_app_id: authAppId, auth_time: Date.now() }),
    };
    return parts.notifyAlipay('app-auth-cancelled', authAppId, url, params);
  }

  /** The merchant app a valid app_auth_token acts for. */
  const actingForToken = (token: string) => {
    const grant = appAuth.tokens.get(token);
    return grant?.valid && grant.expiresAt > Date.now() ? grant.authAppId : undefined;
  };

  return {
    gateway: alipayGateway,
    notification: alipayNotification,
    grantAppAuth,
    revokeAppAuth,
    actingFor: actingForToken,
  };
}
