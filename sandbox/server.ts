/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment -- request bodies are untyped JSON on the wire, checked field by field */
/**
 * Local simulator of the Alipay open gateway and WeChat Pay APIv3, at the protocol level, with real RSA
 * signatures and AES-GCM. It keeps order and refund books, posts signed notifications to medpay on each
 * provider's retry schedule (time-compressed), and exposes /sandbox/* routes for people and tests.
 * Never deployed.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { formatYuan, parseYuan, type Fen } from '../lib/domain/money';
import { alipayBillZip, billRows, wechatBillCsv, wechatBillGzip, type BillFaults } from './bills';
import { createBureau } from './bureau';
import { createCreditSimulator } from './credit';
import { sandboxPage } from './page';
import {
  alipaySignContent,
  alipayTime,
  parseWechatAuthorization,
  rsaSign,
  rsaVerify,
  wechatEncrypt,
  wechatTime,
} from './signing';

/** Keys and ids the sandbox plays the providers with. */
export interface SandboxOptions {
  readonly port?: number;
  readonly alipay: { appId: string; sellerId: string; appPublicKey: string; platformPrivateKey: string };
  readonly wechatpay: {
    mchId: string;
    appId: string;
    merchantSerial: string;
    merchantPublicKey: string;
    apiV3Key: string;
    certificate: { serial: string; privateKey: string };
    publicKey: { id: string; privateKey: string };
  };
  /** The shared HMAC key medpay signs insurance-bureau requests with. */
  readonly bureauKey: string;
  /** 1 = real retry delays; the default compresses a day into seconds. */
  readonly timeScale?: number;
}

type Channel = 'alipay' | 'wechatpay';
interface Order {
  channel: Channel;
  outTradeNo: string;
  amountFen: Fen;
  description: string;
  status: 'PENDING' | 'PAID' | 'CLOSED';
  providerTradeNo: string;
  notifyUrl: string;
  payer?: string;
  paidAt?: Date;
  refundedFen: number;
  createdAt: Date;
}
interface Refund {
  channel: Channel;
  outTradeNo: string;
  outRefundNo: string;
  amountFen: Fen;
  status: 'PROCESSING' | 'SUCCESS' | 'ABNORMAL';
  refundId: string;
  notifyUrl?: string;
  succeededAt?: Date;
}
interface NotificationRecord {
  at: string;
  channel: Channel;
  kind: string;
  outTradeNo: string;
  attempt: number;
  probe: boolean;
  responseStatus: number;
  responseBody: string;
  acknowledged: boolean;
}

/** Alipay retries 8 times over about 25 h; WeChat Pay 15 times over about 24 h. */
export const RETRY_SCHEDULE_SEC = {
  alipay: [4 * 60, 10 * 60, 10 * 60, 3600, 2 * 3600, 6 * 3600, 15 * 3600],
  wechatpay: [15, 15, 30, 180, 600, 1200, 1800, 1800, 1800, 3600, 10800, 10800, 10800, 21600, 21600],
} as const;

/** Starts the sandbox and resolves once it listens on 127.0.0.1. */
export async function startSandbox(options: SandboxOptions) {
  const orders = new Map<string, Order>();
  const refunds = new Map<string, Refund>();
  const notifications: NotificationRecord[] = [];
  const settings = {
    notifications: true,
    wechatSerialMode: 'certificate' as 'certificate' | 'public-key' | 'mixed',
    timeScale: options.timeScale ?? 1 / 3600,
    /** The next N credit captures per channel fail (insufficient funds). */
    captureFailures: { alipay: 0, wechatpay: 0 } as Record<Channel, number>,
    /** Bills: whether they can be downloaded yet, how to damage the file, and discrepancies per channel. */
    billsAvailable: true,
    billCorruption: { alipay: 'none', wechatpay: 'none' } as Record<Channel, 'none' | 'truncate' | 'sha1'>,
    billFaults: {
      alipay: { drop: [], amountDelta: {}, nextDay: [], extra: 0 },
      wechatpay: { drop: [], amountDelta: {}, nextDay: [], extra: 0 },
    } as Record<Channel, BillFaults>,
  };
  const timers = new Set<NodeJS.Timeout>();
  let listeningUrl = '';
  const baseUrl = () => listeningUrl;
  let mixed = 0;
  const key = (channel: Channel, no: string) => `${channel}:${no}`;
  const id = (prefix: string, n = 20) => prefix + Array.from(randomBytes(n), (b) => String(b % 10)).join('');

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

  // ── notifications ──
  async function deliver(url: string, body: string, headers: Record<string, string>) {
    try {
      const res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(10_000) });
      return { status: res.status, body: await res.text() };
    } catch (error) {
      return { status: 0, body: String(error) };
    }
  }

  async function notify(
    channel: Channel,
    kind: string,
    outTradeNo: string,
    build: () => { url: string; body: string; headers: Record<string, string> },
    attempt = 0,
    probe = false,
  ) {
    const { url, body, headers } = build(); // re-signed per attempt, as the providers do
    const res = await deliver(url, body, headers);
    const acknowledged =
      channel === 'alipay' ? res.body.trim() === 'success' : res.status >= 200 && res.status < 300;
    const record = {
      at: new Date().toISOString(),
      channel,
      kind,
      outTradeNo,
      attempt,
      probe,
      responseStatus: res.status,
      responseBody: res.body,
      acknowledged,
    };
    notifications.push(record);
    const delay = RETRY_SCHEDULE_SEC[channel][attempt];
    if (!acknowledged && !probe && delay !== undefined) {
      const t = setTimeout(
        () => {
          timers.delete(t);
          void notify(channel, kind, outTradeNo, build, attempt + 1);
        },
        delay * 1000 * settings.timeScale,
      );
      t.unref();
      timers.add(t);
    }
    return record;
  }

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
    const params: Record<string, string> = {
      notify_time: alipayTime(new Date()),
      notify_type: 'trade_status_sync',
      notify_id: randomBytes(16).toString('hex'),
      charset: 'utf-8',
      version: '1.0',
      app_id: options.alipay.appId,
      seller_id: options.alipay.sellerId,
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

  function markPaid(order: Order) {
    if (order.status !== 'PENDING') return false;
    order.status = 'PAID';
    order.paidAt = new Date();
    return true;
  }

  async function notifyPaid(order: Order, probe = false) {
    if (order.channel === 'alipay')
      return notify(
        'alipay',
        'trade_status_sync',
        order.outTradeNo,
        alipayNotification(order, probe ? 'probe' : undefined),
        0,
        probe,
      );
    return notify(
      'wechatpay',
      'TRANSACTION.SUCCESS',
      order.outTradeNo,
      wechatNotification(
        'TRANSACTION.SUCCESS',
        wechatTransaction(order),
        order.notifyUrl,
        probe ? 'probe' : undefined,
      ),
      0,
      probe,
    );
  }

  const bureau = createBureau(options.bureauKey);
  const credit = createCreditSimulator({
    alipay: options.alipay,
    wechatpay: options.wechatpay,
    bureau,
    settings,
    recordTrade: (t) => {
      const now = new Date();
      orders.set(key(t.channel, t.outTradeNo), {
        ...t,
        status: 'PAID',
        notifyUrl: '',
        paidAt: now,
        refundedFen: 0,
        createdAt: now,
      });
    },
    notifyAlipay: (kind, ref, url, params) =>
      notify('alipay', kind, ref, () => {
        const sign = rsaSign(
          alipaySignContent(params, ['sign', 'sign_type']),
          options.alipay.platformPrivateKey,
        );
        return {
          url,
          body: new URLSearchParams({ ...params, sign_type: 'RSA2', sign }).toString(),
          headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
        };
      }),
    notifyWechat: (eventType, originalType, summary, resource, url) =>
      notify(
        'wechatpay',
        eventType,
        (resource as { out_order_no?: string }).out_order_no ?? '',
        wechatNotification(
          eventType,
          { mchid: options.wechatpay.mchId, ...resource },
          url,
          undefined,
          originalType,
          summary,
        ),
      ),
    later: (fn, ms) => {
      const t = setTimeout(() => {
        timers.delete(t);
        fn();
      }, ms);
      t.unref();
      timers.add(t);
    },
  });

  // ── bills ──
  const rowsFor = (channel: Channel, day: string) =>
    billRows([...orders.values()], [...refunds.values()], channel, day, settings.billFaults[channel]);
  /** The file a provider serves for a day, damaged as the settings say. */
  function billFile(channel: Channel, day: string): { file: Uint8Array; sha1: string } {
    const rows = rowsFor(channel, day);
    const { file, sha1 } =
      channel === 'alipay'
        ? { file: alipayBillZip(rows, options.alipay.sellerId.slice(0, 16), day), sha1: '' }
        : wechatBillGzip(wechatBillCsv(rows, options.wechatpay));
    const damage = settings.billCorruption[channel];
    if (damage === 'truncate') return { file: file.slice(0, Math.floor(file.length * 0.6)), sha1 };
    if (damage === 'sha1') return { file, sha1: sha1.replace(/^./, sha1.startsWith('0') ? '1' : '0') };
    return { file, sha1 };
  }
  const billDay = (v: string | undefined) => (v && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : undefined);

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
    const order = biz.out_trade_no ? orders.get(key('alipay', biz.out_trade_no)) : undefined;
    const notFound = () => fail('40004', 'Business Failed', 'ACQ.TRADE_NOT_EXIST', '交易不存在');
    switch (method) {
      case 'alipay.trade.create':
      case 'alipay.trade.precreate': {
        let amountFen: Fen;
        try {
          amountFen = parseYuan(biz.total_amount ?? '');
        } catch {
          return fail('40002', 'Invalid Arguments', 'isv.invalid-parameter', 'total_amount 格式错误');
        }
        if (!biz.out_trade_no || amountFen <= 0)
          return fail('40002', 'Invalid Arguments', 'isv.missing-parameter', '缺少参数');
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
        };
        // Alipay's answers for a repeated out_trade_no: paid → ACQ.TRADE_HAS_SUCCESS ("交易已被支付"),
        // other parameters → ACQ.CONTEXT_INCONSISTENT ("交易信息被篡改").
        if (existing.status === 'PAID')
          return fail('40004', 'Business Failed', 'ACQ.TRADE_HAS_SUCCESS', '交易已被支付');
        if (existing.amountFen !== amountFen)
          return fail('40004', 'Business Failed', 'ACQ.CONTEXT_INCONSISTENT', '交易信息被篡改');
        orders.set(key('alipay', existing.outTradeNo), existing);
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
              qr_code: `https://qr.alipay.com/sandbox${existing.providerTradeNo}`,
            });
      }
      case 'alipay.trade.query': {
        if (!order) return notFound();
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
            ? { send_pay_date: alipayTime(order.paidAt), buyer_pay_amount: formatYuan(order.amountFen) }
            : {}),
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
      case 'alipay.data.dataservice.bill.downloadurl.query': {
        const day = billDay(biz.bill_date);
        if (biz.bill_type !== 'trade' || !day)
          return fail('40002', 'Invalid Arguments', 'isv.invalid-parameter', 'bill_type 或 bill_date 错误');
        if (!settings.billsAvailable)
          return fail('40004', 'Business Failed', 'isp.bill_not_exist', '账单不存在');
        return reply({
          code: '10000',
          msg: 'Success',
          bill_download_url: `${baseUrl()}/sandbox/bill-files/alipay/${day}.zip?downloadFileName=${day}.csv.zip`,
        });
      }
      default:
        return (
          credit.alipayMethod(method, biz, reply, fail) ??
          fail('40004', 'Business Failed', 'isv.invalid-method', `sandbox does not implement ${method}`)
        );
    }
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
    const create = /^\/v3\/pay\/transactions\/(jsapi|native)$/.exec(p);
    if (method === 'POST' && create) {
      const total = req.amount?.total;
      if (req.mchid !== w.mchId || req.appid !== w.appId)
        return error(400, 'PARAM_ERROR', 'mchid 或 appid 不匹配');
      if (!Number.isSafeInteger(total) || total <= 0 || !req.out_trade_no)
        return error(400, 'PARAM_ERROR', '参数错误');
      if (create[1] === 'jsapi' && !req.payer?.openid) return error(400, 'PARAM_ERROR', '缺少 payer.openid');
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
      const day = billDay(url.searchParams.get('bill_date') ?? undefined);
      if (!day) return error(400, 'PARAM_ERROR', 'bill_date 格式错误');
      if (!settings.billsAvailable) return error(400, 'NO_STATEMENT_EXIST', '账单文件不存在');
      const { sha1 } = billFile('wechatpay', day);
      return json(200, {
        hash_type: 'SHA1',
        hash_value: sha1,
        download_url: `${baseUrl()}/v3/billdownload/file?token=wechatpay-${day}`,
      });
    }
    const c = credit.wechatRoute(method, p, url, req);
    if (c) return json(c.status, c.body);
    return error(404, 'NOT_FOUND', `sandbox does not implement ${method} ${p}`);
  }

  // ── HTTP ──
  const readBody = (req: IncomingMessage) =>
    new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      req.on('error', reject);
    });
  const send = (res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(body);
  };

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const body = await readBody(req);
    const method = req.method ?? 'GET';
    if (url.pathname === '/alipay/gateway.do' && method === 'POST') {
      return send(res, 200, alipayGateway(url.searchParams, new URLSearchParams(body)), {
        'content-type': 'application/json;charset=utf-8',
      });
    }
    const billFileRoute =
      /^\/sandbox\/bill-files\/alipay\/(\d{4}-\d{2}-\d{2})\.zip$/.exec(url.pathname) ??
      (url.pathname === '/v3/billdownload/file'
        ? /^wechatpay-(\d{4}-\d{2}-\d{2})$/.exec(url.searchParams.get('token') ?? '')
        : null) ??
      /^\/sandbox\/bills\/(?:alipay|wechatpay)\/(\d{4}-\d{2}-\d{2})$/.exec(url.pathname);
    if (billFileRoute && method === 'GET') {
      const channel: Channel = url.pathname.includes('alipay') ? 'alipay' : 'wechatpay';
      const { file } = billFile(channel, billFileRoute[1] as string);
      res.writeHead(200, {
        'content-type': channel === 'alipay' ? 'application/zip' : 'application/x-gzip',
        'content-disposition': `attachment; filename="${channel}-${billFileRoute[1]}.${channel === 'alipay' ? 'zip' : 'csv.gz'}"`,
      });
      res.end(Buffer.from(file));
      return;
    }
    if (url.pathname.startsWith('/v3/')) {
      const out = wechatApi(method, url.pathname + url.search, body, req.headers.authorization);
      return send(res, out.status, out.body, out.status < 300 ? wechatSignedHeaders(out.body) : {});
    }
    if (url.pathname.startsWith('/insurance/v1/') && method === 'POST') {
      const out = bureau.handle(url.pathname, req.headers, body);
      return send(res, out.status, JSON.stringify(out.body));
    }
    if (url.pathname === '/sandbox/authorise' && method === 'POST') {
      let input: { channel?: Channel; outOrderNo?: string; orderStr?: string };
      try {
        input = JSON.parse(body) as typeof input;
      } catch {
        return send(res, 400, JSON.stringify({ error: 'body must be JSON {"channel","outOrderNo"}' }));
      }
      const out = await credit.authorise(input.channel ?? 'alipay', input.outOrderNo ?? '', input.orderStr);
      return send(res, out.status, JSON.stringify(out.body));
    }
    if (url.pathname === '/sandbox/pay' && method === 'POST') {
      let input: { channel?: Channel; outTradeNo?: string };
      try {
        input = JSON.parse(body) as typeof input;
      } catch {
        return send(res, 400, JSON.stringify({ error: 'body must be JSON {"channel","outTradeNo"}' }));
      }
      const order = orders.get(key(input.channel ?? 'alipay', input.outTradeNo ?? ''));
      if (!order) return send(res, 404, JSON.stringify({ error: 'no such order' }));
      if (order.status === 'CLOSED')
        return send(res, 409, JSON.stringify({ status: order.status, error: 'the order is closed' }));
      markPaid(order);
      if (!settings.notifications) return send(res, 200, JSON.stringify({ status: 'PAID', notified: false }));
      const record = await notifyPaid(order);
      return send(
        res,
        200,
        JSON.stringify({
          status: 'PAID',
          notified: true,
          responseStatus: record.responseStatus,
          responseBody: record.responseBody,
        }),
      );
    }
    if (url.pathname === '/sandbox/probe' && method === 'POST') {
      const input = JSON.parse(body || '{}') as { channel?: Channel; outTradeNo?: string };
      const order = orders.get(key(input.channel ?? 'alipay', input.outTradeNo ?? ''));
      if (!order) return send(res, 404, JSON.stringify({ error: 'no such order' }));
      const record = await notifyPaid(order, true);
      return send(res, 200, JSON.stringify(record));
    }
    if (url.pathname === '/sandbox/settings' && method === 'POST') {
      const { insurance, ...rest } = JSON.parse(body || '{}') as Partial<typeof settings> & {
        insurance?: Partial<typeof bureau.settings>;
      };
      const { billFaults, ...others } = rest;
      Object.assign(settings, others);
      for (const [channel, faults] of Object.entries(billFaults ?? {}) as Array<
        [Channel, Partial<BillFaults>]
      >)
        settings.billFaults[channel] = { drop: [], amountDelta: {}, nextDay: [], extra: 0, ...faults };
      if (insurance) Object.assign(bureau.settings, insurance);
      return send(res, 200, JSON.stringify({ ...settings, insurance: bureau.settings }));
    }
    if (url.pathname === '/sandbox/authorisations' && method === 'GET') {
      const c = credit;
      return send(
        res,
        200,
        JSON.stringify({
          alipay: [...c.freezes.values()].map(({ unfreezeRequests, ...f }) => ({
            ...f,
            unfreezeRequests: [...unfreezeRequests],
          })),
          wechatpay: [...c.serviceOrders.values()],
          captures: c.captures,
          insurance: [...bureau.preauths.values()],
        }),
      );
    }
    if (url.pathname === '/sandbox/notifications' && method === 'GET')
      return send(res, 200, JSON.stringify(notifications));
    if (url.pathname === '/sandbox/orders' && method === 'GET') {
      return send(
        res,
        200,
        JSON.stringify(
          [...orders.values()].map((o) => ({
            ...o,
            refunds: [...refunds.values()].filter(
              (r) => r.channel === o.channel && r.outTradeNo === o.outTradeNo,
            ),
          })),
        ),
      );
    }
    if ((url.pathname === '/sandbox' || url.pathname === '/sandbox/') && method === 'GET') {
      return send(res, 200, sandboxPage(), { 'content-type': 'text/html; charset=utf-8' });
    }
    return send(res, 404, JSON.stringify({ error: `no sandbox route ${method} ${url.pathname}` }));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => send(res, 500, JSON.stringify({ error: String(error) })));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  listeningUrl = `http://127.0.0.1:${port}`;
  return {
    url: `http://127.0.0.1:${port}`,
    orders,
    refunds,
    notifications,
    settings,
    credit,
    bureau,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
