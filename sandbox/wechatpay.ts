/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment -- request bodies are untyped JSON on the wire, checked field by field */
/**
 * WeChat Pay APIv3 as the sandbox plays it: request signatures checked, answers and notifications signed
 * with the platform certificate or public key, resources sealed with AES-256-GCM. Never deployed.
 */
import { randomBytes } from 'node:crypto';
import type { Fen } from '../lib/domain/money';
import { isSubMerchant, type Books, type Order, type Refund } from './books';
import type { SandboxParts } from './server';
import {
  parseWechatAuthorization,
  rsaSign,
  rsaVerify,
  wechatDecryptSensitive,
  wechatEncrypt,
  wechatTime,
} from './signing';

/** The debit cards apply-abnormal-refund takes, by bank_type (create-abnormal-refund.html). */
const BANK_NAMES: Readonly<Record<string, string>> = {
  CMB_DEBIT: '招商银行',
  COMM_DEBIT: '交通银行',
  ABC_DEBIT: '农业银行',
  CCB_DEBIT: '建设银行',
  ICBC_DEBIT: '工商银行',
  BOC_DEBIT: '中国银行',
  PAB_DEBIT: '平安银行',
  SPDB_DEBIT: '浦发银行',
  CITIC_DEBIT: '中信银行',
  CEB_DEBIT: '光大银行',
  CMBC_DEBIT: '民生银行',
  CIB_DEBIT: '兴业银行',
  GDB_DEBIT: '广发银行',
  PSBC_DEBIT: '邮储银行',
  NBCB_DEBIT: '宁波银行',
};

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

  /**
   * Who an order belongs to, as its resources name it: the merchant (appid, mchid), or in partner mode the
   * service provider and the sub-merchant (sp_appid, sp_mchid, sub_appid, sub_mchid; the partner query and
   * payment notice, pay.weixin.qq.com/wiki/doc/apiv3/wxpay/pay/transactions/chapter5_5.shtml, chapter5_11).
   */
  const owner = (o: Order | undefined) =>
    o?.subMchId
      ? {
          sp_appid: options.wechatpay.appId,
          sp_mchid: options.wechatpay.mchId,
          sub_mchid: o.subMchId,
          ...(o.subAppId ? { sub_appid: o.subAppId } : {}),
        }
      : { appid: options.wechatpay.appId, mchid: options.wechatpay.mchId };
  /** The payer as the order's mode names them (payer.openid; partner: sp_openid, or sub_openid under sub_appid). */
  const payerOf = (o: Order) =>
    o.subMchId ? { [o.subAppId ? 'sub_openid' : 'sp_openid']: o.payer ?? '' } : { openid: o.payer ?? '' };

  const wechatTransaction = (o: Order) => ({
    ...owner(o),
    out_trade_no: o.outTradeNo,
    transaction_id: o.providerTradeNo,
    trade_type: o.tradeType ?? 'JSAPI',
    // trade_state (B2; for 付款码 also USERPAYING and REVOKED, G1 and PROTOCOLS §2.2).
    trade_state:
      o.status === 'PAID'
        ? o.refundedFen > 0
          ? 'REFUND'
          : 'SUCCESS'
        : o.status === 'CLOSED'
          ? o.revoked
            ? 'REVOKED'
            : 'CLOSED'
          : o.status === 'PAYING'
            ? 'USERPAYING'
            : 'NOTPAY',
    trade_state_desc: o.status,
    bank_type: 'OTHERS',
    attach: '',
    ...(o.paidAt ? { success_time: wechatTime(o.paidAt) } : {}),
    payer: payerOf(o),
    amount: { total: o.amountFen, payer_total: o.amountFen, currency: 'CNY', payer_currency: 'CNY' },
  });

  /**
   * The REFUND.* notification resource (the official-doc example; tests/conformance fact N2):
   * mchid, no appid, refund_status, success_time only on SUCCESS, and amount without currency.
   */
  const wechatRefundResource = (r: Refund) => {
    const o = orders.get(key('wechatpay', r.outTradeNo));
    const { mchid, sp_mchid, sub_mchid } = owner(o) as Record<string, string | undefined>;
    return {
      // Partner refunds name sp_mchid and sub_mchid (REFUND.SUCCESS, I10); a merchant's, mchid alone.
      ...(sub_mchid ? { sp_mchid, sub_mchid } : { mchid }),
      transaction_id: o?.providerTradeNo,
      out_trade_no: r.outTradeNo,
      refund_id: r.refundId,
      out_refund_no: r.outRefundNo,
      refund_status: r.status,
      ...(r.succeededAt && r.status === 'SUCCESS' ? { success_time: wechatTime(r.succeededAt) } : {}),
      user_received_account: r.route?.account ?? '支付用户零钱',
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
      channel: r.route?.channel ?? 'ORIGINAL',
      user_received_account: r.route?.account ?? '支付用户零钱',
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

  /** Settles a refund about 200 ms later as `outcome`, notifying REFUND.SUCCESS or REFUND.ABNORMAL. */
  function settleRefundLater(refund: Refund, outcome: 'SUCCESS' | 'ABNORMAL') {
    const t = setTimeout(() => {
      timers.delete(t);
      refund.status = outcome;
      if (outcome === 'SUCCESS') refund.succeededAt = new Date();
      if (outcome === 'SUCCESS') parts.complaints().refunded('wechatpay', refund.outTradeNo);
      if (settings.notifications && refund.notifyUrl) {
        const eventType = `REFUND.${outcome}`;
        void notify(
          'wechatpay',
          eventType,
          refund.outTradeNo,
          wechatNotification(eventType, wechatRefundResource(refund), refund.notifyUrl),
        );
      }
    }, 200);
    t.unref();
    timers.add(t);
  }

  /** A field encrypted for WeChat Pay, opened with the platform keys. */
  const decryptSensitive = (cipher: unknown) =>
    wechatDecryptSensitive(cipher, [
      options.wechatpay.publicKey.privateKey,
      options.wechatpay.certificate.privateKey,
    ]);

  /**
   * POST …/refunds/{refund_id}/apply-abnormal-refund (create-abnormal-refund.html): only an ABNORMAL refund,
   * named by its refund_id and out_refund_no; type USER_BANK_CARD (bank_type one of the 15 debit cards,
   * bank_account and real_name encrypted with the platform key) or MERCHANT_BANK_CARD. The refund goes back
   * to PROCESSING on the new route and succeeds shortly after. The error codes are the sandbox's own.
   */
  function rerouteRefund(refundId: string, req: Record<string, any>) {
    const refund = [...refunds.values()].find((r) => r.channel === 'wechatpay' && r.refundId === refundId);
    const order = refund && orders.get(key('wechatpay', refund.outTradeNo));
    if (!refund || !order || order.subMchId !== req.sub_mchid)
      return error(404, 'RESOURCE_NOT_EXISTS', '退款单不存在');
    if (req.out_refund_no !== refund.outRefundNo)
      return error(400, 'PARAM_ERROR', 'out_refund_no 与退款单不符');
    if (refund.status !== 'ABNORMAL') return error(400, 'INVALID_REQUEST', '退款单状态不是退款异常');
    if (req.type === 'MERCHANT_BANK_CARD') {
      refund.route = { channel: 'OTHER_BANKCARD', account: '商户结算银行账户' };
    } else if (req.type === 'USER_BANK_CARD') {
      const account = decryptSensitive(req.bank_account);
      const name = decryptSensitive(req.real_name);
      if (
        !Object.hasOwn(BANK_NAMES, String(req.bank_type)) ||
        !account ||
        !/^\d{12,30}$/.test(account) ||
        !name
      )
        return error(400, 'PARAM_ERROR', 'bank_type、bank_account 或 real_name 不合法');
      refund.route = {
        channel: 'OTHER_BANKCARD',
        account: `${BANK_NAMES[req.bank_type as string] ?? '银行'}借记卡${account.slice(-4)}`,
      };
    } else return error(400, 'PARAM_ERROR', 'type 不合法');
    refund.status = 'PROCESSING';
    settleRefundLater(refund, 'SUCCESS');
    return json(200, wechatRefundBody(refund));
  }

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
    const create = /^\/v3\/pay\/(partner\/)?transactions\/(jsapi|native|h5)$/.exec(p);
    if (method === 'POST' && create) {
      const total = req.amount?.total;
      const partner = create[1] !== undefined;
      const kind = create[2];
      if (partner) {
        // The partner order (chapter5_1): sp_appid + sp_mchid are the service provider's, sub_mchid required.
        if (req.sp_mchid !== w.mchId || req.sp_appid !== w.appId)
          return error(400, 'PARAM_ERROR', 'sp_mchid 或 sp_appid 不匹配');
        if (typeof req.sub_mchid !== 'string') return error(400, 'PARAM_ERROR', '受理机构必须传入sub_mch_id');
        if (req.sub_mchid === w.mchId) return error(400, 'PARAM_ERROR', '子商户mchid不能与自身mchid相同');
        // B4 §8: a sub-merchant that has not authorised this service provider. The message is WeChat's;
        // the code string is the sandbox's own (B4 gives the number 268443701, not the v3 code).
        if (!isSubMerchant(options.wechatpay, req.sub_mchid))
          return error(400, 'INVALID_REQUEST', '受理关系不存在');
        const openid = req.sub_appid ? req.payer?.sub_openid : req.payer?.sp_openid;
        if (kind === 'jsapi' && !openid)
          return error(400, 'PARAM_ERROR', '缺少 payer.sp_openid 或 sub_openid');
      } else {
        if (req.mchid !== w.mchId || req.appid !== w.appId)
          return error(400, 'PARAM_ERROR', 'mchid 或 appid 不匹配');
        if (kind === 'jsapi' && !req.payer?.openid) return error(400, 'PARAM_ERROR', '缺少 payer.openid');
      }
      if (!Number.isSafeInteger(total) || total <= 0 || !req.out_trade_no)
        return error(400, 'PARAM_ERROR', '参数错误');
      // H5 (chapter3_4): scene_info.payer_client_ip and h5_info.type are required.
      if (kind === 'h5' && (!req.scene_info?.payer_client_ip || !req.scene_info?.h5_info?.type))
        return error(400, 'PARAM_ERROR', '缺少 scene_info.payer_client_ip 或 h5_info.type');
      // description: 必填 string(127), "不能超过127个字符" (pay.weixin.qq.com/docs/merchant/products/mini-program-payment/apilist.html).
      const description: unknown = req.description;
      if (typeof description !== 'string' || description === '' || [...description].length > 127)
        return error(400, 'PARAM_ERROR', 'description 长度不合法');
      const existing = orders.get(key('wechatpay', req.out_trade_no as string));
      const subMchId = partner ? (req.sub_mchid as string) : undefined;
      if (existing && existing.subMchId !== subMchId) return error(400, 'INVALID_REQUEST', '商户订单号重复');
      if (existing && existing.status === 'PAID') return error(400, 'ORDERPAID', '该订单已支付');
      const order: Order = existing ?? {
        channel: 'wechatpay',
        outTradeNo: req.out_trade_no as string,
        amountFen: total as Fen,
        description: (req.description as string) ?? '',
        status: 'PENDING',
        providerTradeNo: id('42000', 23),
        notifyUrl: req.notify_url as string,
        payer: (req.payer?.openid ?? req.payer?.sp_openid ?? req.payer?.sub_openid) as string | undefined,
        refundedFen: 0,
        createdAt: new Date(),
        tradeType: { native: 'NATIVE', h5: 'MWEB', jsapi: 'JSAPI' }[kind as string],
        ...(subMchId ? { subMchId, ...(req.sub_appid ? { subAppId: req.sub_appid as string } : {}) } : {}),
      };
      orders.set(key('wechatpay', order.outTradeNo), order);
      if (kind === 'jsapi') return json(200, { prepay_id: `wx${order.providerTradeNo}` });
      // h5_url: WeChat's checkmweb page (wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?prepay_id=…), here the
      // sandbox's phone cashier; the merchant appends &redirect_url=.
      if (kind === 'h5')
        return json(200, { h5_url: `${baseUrl()}/sandbox/checkmweb?prepay_id=wx${order.providerTradeNo}` });
      order.qrCode = `weixin://wxpay/bizpayurl?pr=${order.providerTradeNo.slice(-7)}`;
      return json(200, { code_url: order.qrCode });
    }
    const codepay = /^\/v3\/pay\/(partner\/)?transactions\/codepay$/.exec(p);
    if (method === 'POST' && codepay) return codePay(req, codepay[1] !== undefined);
    const reverse = /^\/v3\/pay\/(partner\/)?transactions\/out-trade-no\/([^/]+)\/reverse$/.exec(p);
    if (method === 'POST' && reverse)
      return reverseOrder(decodeURIComponent(reverse[2] as string), req, reverse[1] !== undefined);
    const byNo = /^\/v3\/pay\/(partner\/)?transactions\/out-trade-no\/([^/]+)(\/close)?$/.exec(p);
    if (byNo) {
      const found = orders.get(key('wechatpay', decodeURIComponent(byNo[2] as string)));
      // An order is found only under its own merchant: the partner query and close name sp_mchid and
      // sub_mchid (chapter5_5, chapter5_6), and a sub-merchant's order is not the service provider's own.
      const named = byNo[1]
        ? {
            sp: url.searchParams.get('sp_mchid') ?? (req.sp_mchid as string | undefined),
            sub: url.searchParams.get('sub_mchid') ?? (req.sub_mchid as string | undefined),
          }
        : { sp: url.searchParams.get('mchid') ?? (req.mchid as string | undefined), sub: undefined };
      const order = found && named.sp === w.mchId && named.sub === found.subMchId ? found : undefined;
      if (!order) return error(404, 'ORDER_NOT_EXIST', '订单不存在');
      const byNo2 = byNo[3];
      if (method === 'GET') return json(200, wechatTransaction(order));
      if (method === 'POST' && byNo2) {
        if (order.status === 'PAID') return error(400, 'ORDERPAID', '订单已支付');
        order.status = 'CLOSED';
        return json(204);
      }
    }
    if (method === 'POST' && p === '/v3/refund/domestic/refunds') {
      const order = orders.get(key('wechatpay', req.out_trade_no as string));
      if (!order) return error(404, 'RESOURCE_NOT_EXISTS', '订单不存在');
      // Partner refunds carry sub_mchid in the body; the wrong one is "子商户号和订单信息不匹配" (B4, 268447845;
      // the code string is the sandbox's own).
      if (req.sub_mchid !== order.subMchId) return error(400, 'INVALID_REQUEST', '子商户号和订单信息不匹配');
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
        ...(order.payer ? { payer: order.payer } : {}),
      };
      const behaviour = settings.wechatRefund;
      refund.route = { channel: 'ORIGINAL', account: behaviour.account };
      refunds.set(key('wechatpay', refund.outRefundNo), refund);
      // WeChat answers PROCESSING, settles shortly after and notifies REFUND.SUCCESS (or REFUND.ABNORMAL).
      if (behaviour.outcome !== 'STUCK') settleRefundLater(refund, behaviour.outcome);
      return json(200, wechatRefundBody(refund));
    }
    const abnormal = /^\/v3\/refund\/domestic\/refunds\/([^/]+)\/apply-abnormal-refund$/.exec(p);
    if (method === 'POST' && abnormal) return rerouteRefund(decodeURIComponent(abnormal[1] as string), req);
    const refundNo = /^\/v3\/refund\/domestic\/refunds\/([^/]+)$/.exec(p);
    if (method === 'GET' && refundNo) {
      const refund = refunds.get(key('wechatpay', decodeURIComponent(refundNo[1] as string)));
      const sub = url.searchParams.get('sub_mchid') ?? undefined;
      const mine = refund && orders.get(key('wechatpay', refund.outTradeNo))?.subMchId === sub;
      return refund && mine
        ? json(200, wechatRefundBody(refund))
        : error(404, 'RESOURCE_NOT_EXISTS', '退款单不存在');
    }
    if (method === 'GET' && p === '/v3/bill/tradebill') {
      const day = parts.billDay(url.searchParams.get('bill_date') ?? undefined);
      if (!day) return error(400, 'PARAM_ERROR', 'bill_date 格式错误');
      if (!settings.billsAvailable) return error(400, 'NO_STATEMENT_EXIST', '账单文件不存在');
      // sub_mchid: one sub-merchant's bill; without it the service provider's, which lists every
      // sub-merchant's trades too ("不填则默认是服务商及所有子商户", WX-BILL).
      const sub = url.searchParams.get('sub_mchid') ?? undefined;
      if (sub !== undefined && !isSubMerchant(options.wechatpay, sub))
        return error(400, 'INVALID_REQUEST', '受理关系不存在');
      const { sha1 } = parts.billFile('wechatpay', day, sub);
      return json(200, {
        hash_type: 'SHA1',
        hash_value: sha1,
        download_url: `${baseUrl()}/v3/billdownload/file?token=wechatpay-${day}${sub ? `-${sub}` : ''}`,
      });
    }
    const m = parts.medical().wechatRoute(method, p, url, req);
    if (m) return json(m.status, m.body);
    const k = parts.complaints().wechatRoute(method, p, req);
    if (k) return json(k.status, k.body);
    const c = parts.credit().wechatRoute(method, p, url, req);
    if (c) return json(c.status, c.body);
    return error(404, 'NOT_FOUND', `sandbox does not implement ${method} ${p}`);
  }

  const json = (status: number, obj?: object) => ({ status, body: obj ? JSON.stringify(obj) : '' });
  const error = (status: number, code: string, message: string) => json(status, { code, message });

  /** Who a request names as the merchant: the merchant itself, or (partner) a sub-merchant of ours; else an error. */
  function merchantOf(req: Record<string, any>, partner: boolean) {
    const w = options.wechatpay;
    if (!partner) return req.mchid === w.mchId && req.appid === w.appId ? { sub: undefined } : undefined;
    // The partner 付款码 needs sp_appid (必填 in the 2025-02-17 partner page; WXC4: SYSTEM_ERROR without it).
    if (req.sp_mchid !== w.mchId || req.sp_appid !== w.appId || !isSubMerchant(w, req.sub_mchid))
      return undefined;
    return { sub: req.sub_mchid as string };
  }

  /**
   * 付款码 (I4; partner I5): the code is the phone's (payment-codes.ts). 200 SUCCESS when it pays at once,
   * 202 USERPAYING while the password is awaited (ISS-WXJ), 400 for a code that cannot pay ("付款码不存在或无法支付",
   * B3 §6; the code string is the sandbox's own). No notification is ever sent (WX-CP, B3, WXC1).
   */
  function codePay(req: Record<string, any>, partner: boolean) {
    const merchant = merchantOf(req, partner);
    if (!merchant) return error(400, 'PARAM_ERROR', '商户号、AppID 或受理关系不匹配');
    const total = req.amount?.total;
    const description: unknown = req.description;
    if (
      !Number.isSafeInteger(total) ||
      total <= 0 ||
      typeof req.out_trade_no !== 'string' ||
      typeof req.payer?.auth_code !== 'string' ||
      typeof req.scene_info?.store_info !== 'object' ||
      typeof description !== 'string' ||
      description === '' ||
      [...description].length > 127
    )
      return error(400, 'PARAM_ERROR', '参数错误');
    const existing = orders.get(key('wechatpay', req.out_trade_no));
    if (existing && (existing.subMchId !== merchant.sub || existing.amountFen !== total))
      return error(400, 'INVALID_REQUEST', '商户订单号重复');
    if (existing?.revoked) return error(400, 'INVALID_REQUEST', '订单已撤销，请重新下单');
    const order: Order = existing ?? {
      channel: 'wechatpay',
      outTradeNo: req.out_trade_no,
      amountFen: total as Fen,
      description,
      status: 'PENDING',
      providerTradeNo: id('42000', 23),
      notifyUrl: '',
      refundedFen: 0,
      createdAt: new Date(),
      tradeType: 'MICROPAY',
      deviceId: req.scene_info?.device_id as string | undefined,
      ...(merchant.sub
        ? { subMchId: merchant.sub, ...(req.sub_appid ? { subAppId: req.sub_appid as string } : {}) }
        : {}),
    };
    const outcome = parts.codes().scan('wechatpay', req.payer.auth_code as string, order);
    if (outcome.kind === 'refused') return error(400, 'INVALID_REQUEST', '付款码不存在或无法支付');
    orders.set(key('wechatpay', order.outTradeNo), order);
    return json(outcome.kind === 'paid' ? 200 : 202, wechatTransaction(order));
  }

  /**
   * 撤销 (I6; partner I7): closes an unpaid order, or gives a paid one's money back; either way REVOKED. While the
   * patient is paying it is refused when settings.refuseReversalWhilePaying (WXC3).
   */
  function reverseOrder(outTradeNo: string, req: Record<string, any>, partner: boolean) {
    const merchant = merchantOf(req, partner);
    if (!merchant) return error(400, 'PARAM_ERROR', '商户号、AppID 或受理关系不匹配');
    const order = orders.get(key('wechatpay', outTradeNo));
    if (!order || order.subMchId !== merchant.sub) return error(404, 'ORDER_NOT_EXIST', '订单不存在');
    if (order.status === 'PAYING' && settings.refuseReversalWhilePaying)
      return error(400, 'USERPAYING', '正在支付中不能发起撤销');
    if (order.status === 'PAID') order.refundedFen = order.amountFen;
    order.status = 'CLOSED';
    order.revoked = true;
    return json(200, { ...owner(order), out_trade_no: order.outTradeNo });
  }

  // ── HTTP ──
  return {
    api: wechatApi,
    notification: wechatNotification,
    transaction: wechatTransaction,
    signedHeaders: wechatSignedHeaders,
  };
}
