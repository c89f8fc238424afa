/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment -- request bodies are untyped JSON on the wire, checked field by field */
/**
 * WeChat Pay APIv3 as the sandbox plays it: request signatures checked, answers and notifications signed
 * with the platform certificate or public key, resources sealed with AES-256-GCM. Never deployed.
 */
import { randomBytes } from 'node:crypto';
import type { Fen } from '../lib/domain/money';
import type { Books, Order, Refund } from './books';
import type { SandboxParts } from './server';
import { parseWechatAuthorization, rsaSign, rsaVerify, wechatEncrypt, wechatTime } from './signing';

/** The WeChat Pay surface over `books`; `parts` gives the credit products and bill files. */
export function wechatpaySurface(books: Books, parts: SandboxParts) {
  const { options, orders, refunds, settings, timers, key, id, baseUrl, notify } = books;
  let mixed = 0;
  // ── WeChat Pay signing identity (certificate serial, PUB_KEY_ID, or alternating) ──
  const wechatSigner = () => {
    const useKey =
      settings.wechatSerialMode === 'public-key' ||
      (settings.wechatSerialMode === 'mixed' && mixed++ % 2 === 1);
    const w = options.wechatpay;
    return useKey
      ? { serial: w.publicKey.id, privateKey: w.publicKey.privateKey }
      : { serial: w.certificate.serial, privateKey: w.certificate.privateKey };
  };
  const wechatSignedHeaders = (body: string, signer = wechatSigner()) => {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = randomBytes(16).toString('hex');
    return {
      'Wechatpay-Timestamp': timestamp,
      'Wechatpay-Nonce': nonce,
      'Wechatpay-Serial': signer.serial,
      'Wechatpay-Signature': rsaSign(`${timestamp}\n${nonce}\n${body}\n`, signer.privateKey),
    };
  };

  const wechatNotification =
    (
      eventType: string,
      resource: object,
      url: string,
      tamper?: 'probe',
      kind = eventType.startsWith('REFUND') ? 'refund' : 'transaction',
      summary = eventType.startsWith('REFUND') ? '退款状态变更' : '支付成功',
    ) =>
    () => {
      const w = options.wechatpay;
      const body = JSON.stringify({
        id: randomBytes(16).toString('hex'),
        create_time: wechatTime(new Date()),
        resource_type: 'encrypt-resource',
        event_type: eventType,
        summary,
        resource: { original_type: kind, ...wechatEncrypt(JSON.stringify(resource), w.apiV3Key, kind) },
      });
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        ...wechatSignedHeaders(body),
      };
      // WeChat's probe: the signature carries the WECHATPAY/SIGNTEST/ prefix and must never verify.
      if (tamper === 'probe')
        headers['Wechatpay-Signature'] = `WECHATPAY/SIGNTEST/${headers['Wechatpay-Signature']}`;
      return { url, body, headers };
    };

  const wechatTransaction = (o: Order) => ({
    appid: options.wechatpay.appId,
    mchid: options.wechatpay.mchId,
    out_trade_no: o.outTradeNo,
    transaction_id: o.providerTradeNo,
    trade_type: 'JSAPI',
    trade_state:
      o.status === 'PAID'
        ? o.refundedFen > 0
          ? 'REFUND'
          : 'SUCCESS'
        : o.status === 'CLOSED'
          ? 'CLOSED'
          : 'NOTPAY',
    trade_state_desc: o.status,
    bank_type: 'OTHERS',
    attach: '',
    ...(o.paidAt ? { success_time: wechatTime(o.paidAt) } : {}),
    payer: { openid: o.payer ?? '' },
    amount: { total: o.amountFen, payer_total: o.amountFen, currency: 'CNY', payer_currency: 'CNY' },
  });

  /**
   * The REFUND.* notification resource (the official-doc example; tests/conformance fact N2):
   * mchid, no appid, refund_status, success_time only on SUCCESS, and amount without currency.
   */
  const wechatRefundResource = (r: Refund) => {
    const o = orders.get(key('wechatpay', r.outTradeNo));
    return {
      mchid: options.wechatpay.mchId,
      transaction_id: o?.providerTradeNo,
      out_trade_no: r.outTradeNo,
      refund_id: r.refundId,
      out_refund_no: r.outRefundNo,
      refund_status: r.status,
      ...(r.succeededAt && r.status === 'SUCCESS' ? { success_time: wechatTime(r.succeededAt) } : {}),
      user_received_account: '支付用户零钱',
      amount: {
        total: o?.amountFen ?? 0,
        refund: r.amountFen,
        payer_total: o?.amountFen ?? 0,
        payer_refund: r.amountFen,
      },
    };
  };

  const wechatRefundBody = (r: Refund) => {
    const o = orders.get(key('wechatpay', r.outTradeNo));
    return {
      refund_id: r.refundId,
      out_refund_no: r.outRefundNo,
      transaction_id: o?.providerTradeNo,
      out_trade_no: r.outTradeNo,
      channel: 'ORIGINAL',
      user_received_account: '支付用户零钱',
      ...(r.succeededAt ? { success_time: wechatTime(r.succeededAt) } : {}),
      create_time: wechatTime(new Date()),
      status: r.status,
      amount: {
        total: o?.amountFen ?? 0,
        refund: r.amountFen,
        payer_total: o?.amountFen ?? 0,
        payer_refund: r.amountFen,
        currency: 'CNY',
      },
    };
  };

  // ── WeChat Pay v3 ──
  function wechatApi(
    method: string,
    pathWithQuery: string,
    body: string,
    authorization: string | undefined,
  ): { status: number; body: string } {
    const w = options.wechatpay;
    const auth = parseWechatAuthorization(authorization);
    const message = `${method}\n${pathWithQuery}\n${auth?.timestamp}\n${auth?.nonce_str}\n${body}\n`;
    if (
      !auth ||
      auth.mchid !== w.mchId ||
      auth.serial_no !== w.merchantSerial ||
      !rsaVerify(message, auth.signature ?? '', w.merchantPublicKey)
    ) {
      return { status: 401, body: JSON.stringify({ code: 'SIGN_ERROR', message: '签名错误，请检查后再试' }) };
    }
    const json = (status: number, obj?: object) => ({ status, body: obj ? JSON.stringify(obj) : '' });
    const error = (status: number, code: string, message: string) => json(status, { code, message });
    const url = new URL(pathWithQuery, 'http://sandbox');
    let req: Record<string, any> = {};
    if (body) {
      try {
        req = JSON.parse(body) as Record<string, any>;
      } catch {
        return error(400, 'PARAM_ERROR', '请求体不是 JSON');
      }
    }
    const p = url.pathname;
    const create = /^\/v3\/pay\/transactions\/(jsapi|native)$/.exec(p);
    if (method === 'POST' && create) {
      const total = req.amount?.total;
      if (req.mchid !== w.mchId || req.appid !== w.appId)
        return error(400, 'PARAM_ERROR', 'mchid 或 appid 不匹配');
      if (!Number.isSafeInteger(total) || total <= 0 || !req.out_trade_no)
        return error(400, 'PARAM_ERROR', '参数错误');
      if (create[1] === 'jsapi' && !req.payer?.openid) return error(400, 'PARAM_ERROR', '缺少 payer.openid');
      // description: 必填 string(127), "不能超过127个字符" (pay.weixin.qq.com/docs/merchant/products/mini-program-payment/apilist.html).
      const description: unknown = req.description;
      if (typeof description !== 'string' || description === '' || [...description].length > 127)
        return error(400, 'PARAM_ERROR', 'description 长度不合法');
      const existing = orders.get(key('wechatpay', req.out_trade_no as string));
      if (existing && existing.status === 'PAID') return error(400, 'ORDERPAID', '该订单已支付');
      const order: Order = existing ?? {
        channel: 'wechatpay',
        outTradeNo: req.out_trade_no as string,
        amountFen: total as Fen,
        description: (req.description as string) ?? '',
        status: 'PENDING',
        providerTradeNo: id('42000', 23),
        notifyUrl: req.notify_url as string,
        payer: req.payer?.openid as string | undefined,
        refundedFen: 0,
        createdAt: new Date(),
      };
      orders.set(key('wechatpay', order.outTradeNo), order);
      return create[1] === 'jsapi'
        ? json(200, { prepay_id: `wx${order.providerTradeNo}` })
        : json(200, { code_url: `weixin://wxpay/bizpayurl?pr=${order.providerTradeNo.slice(-7)}` });
    }
    const byNo = /^\/v3\/pay\/transactions\/out-trade-no\/([^/]+)(\/close)?$/.exec(p);
    if (byNo) {
      const order = orders.get(key('wechatpay', decodeURIComponent(byNo[1] as string)));
      if (!order) return error(404, 'ORDER_NOT_EXIST', '订单不存在');
      if (method === 'GET') return json(200, wechatTransaction(order));
      if (method === 'POST' && byNo[2]) {
        if (order.status === 'PAID') return error(400, 'ORDERPAID', '订单已支付');
        order.status = 'CLOSED';
        return json(204);
      }
    }
    if (method === 'POST' && p === '/v3/refund/domestic/refunds') {
      const order = orders.get(key('wechatpay', req.out_trade_no as string));
      if (!order) return error(404, 'RESOURCE_NOT_EXISTS', '订单不存在');
      if (order.status !== 'PAID') return error(403, 'INVALID_REQUEST', '订单状态不正确');
      const existing = refunds.get(key('wechatpay', req.out_refund_no as string));
      if (existing) return json(200, wechatRefundBody(existing));
      const amount = req.amount?.refund;
      if (!Number.isSafeInteger(amount) || amount <= 0 || req.amount?.total !== order.amountFen)
        return error(400, 'PARAM_ERROR', '金额参数错误');
      if (order.refundedFen + (amount as number) > order.amountFen)
        return error(403, 'NOT_ENOUGH', '可退金额不足');
      order.refundedFen += amount as number;
      const refund: Refund = {
        channel: 'wechatpay',
        outTradeNo: order.outTradeNo,
        outRefundNo: req.out_refund_no as string,
        amountFen: amount as Fen,
        status: 'PROCESSING',
        refundId: id('50', 27),
        notifyUrl: (req.notify_url as string) ?? order.notifyUrl,
      };
      refunds.set(key('wechatpay', refund.outRefundNo), refund);
      // WeChat answers PROCESSING, settles shortly after and notifies REFUND.SUCCESS.
      const t = setTimeout(() => {
        timers.delete(t);
        refund.status = 'SUCCESS';
        refund.succeededAt = new Date();
        if (settings.notifications && refund.notifyUrl) {
          void notify(
            'wechatpay',
            'REFUND.SUCCESS',
            refund.outTradeNo,
            wechatNotification('REFUND.SUCCESS', wechatRefundResource(refund), refund.notifyUrl),
          );
        }
      }, 200);
      t.unref();
      timers.add(t);
      return json(200, wechatRefundBody(refund));
    }
    const refundNo = /^\/v3\/refund\/domestic\/refunds\/([^/]+)$/.exec(p);
    if (method === 'GET' && refundNo) {
      const refund = refunds.get(key('wechatpay', decodeURIComponent(refundNo[1] as string)));
      return refund ? json(200, wechatRefundBody(refund)) : error(404, 'RESOURCE_NOT_EXISTS', '退款单不存在');
    }
    if (method === 'GET' && p === '/v3/bill/tradebill') {
      const day = parts.billDay(url.searchParams.get('bill_date') ?? undefined);
      if (!day) return error(400, 'PARAM_ERROR', 'bill_date 格式错误');
      if (!settings.billsAvailable) return error(400, 'NO_STATEMENT_EXIST', '账单文件不存在');
      const { sha1 } = parts.billFile('wechatpay', day);
      return json(200, {
        hash_type: 'SHA1',
        hash_value: sha1,
        download_url: `${baseUrl()}/v3/billdownload/file?token=wechatpay-${day}`,
      });
    }
    const m = parts.medical().wechatRoute(method, p, url, req);
    if (m) return json(m.status, m.body);
    const c = parts.credit().wechatRoute(method, p, url, req);
    if (c) return json(c.status, c.body);
    return error(404, 'NOT_FOUND', `sandbox does not implement ${method} ${p}`);
  }

  // ── HTTP ──
  return {
    api: wechatApi,
    notification: wechatNotification,
    transaction: wechatTransaction,
    signedHeaders: wechatSignedHeaders,
  };
}
