/**
 * Local simulator of the Alipay open gateway and WeChat Pay APIv3, at the protocol level, with real RSA
 * signatures and AES-GCM: the router over one file per provider surface (alipay.ts, wechatpay.ts), the
 * credit products (credit.ts), the national insurance platform (insurance-platform.ts) and the wallets'
 * medical products (medical.ts), and the bills (bills.ts), sharing one set
 * of books (books.ts). It posts signed notifications to medpay on each provider's retry schedule
 * (time-compressed) and exposes /sandbox/* routes for people and tests. Never deployed.
 */
import { ereceiptPlatform } from './ereceipt';
import { randomInt } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { alipaySurface } from './alipay';
import { alipayBillZip, billRows, wechatBillCsv, wechatBillGzip, type BillFaults } from './bills';
import { createBooks, type Books, type Channel, type Order, type SandboxOptions } from './books';
import { persistentBooks } from './state';
import { createInsurancePlatform } from './insurance-platform';
import { medicalSimulator, type MedicalSimulator } from './medical';
import { createCreditSimulator } from './credit';
import { sandboxPage } from './page';
import { hisReceiver } from './his';
import type { Fen } from '../lib/domain/money';
import { alipaySignContent, rsaSign } from './signing';
import { wechatpaySurface } from './wechatpay';
import { complaintDesks, type ComplaintDesks } from './complaints';
import QRCode from 'qrcode';
import { h5CashierPage } from './h5-page';
import { CODE_KINDS, paymentCodes, type CodeKind, type PaymentCodes } from './payment-codes';

export { RETRY_SCHEDULE_SEC, type SandboxOptions } from './books';

/** What the provider surfaces take from the rest of the sandbox. */
export interface SandboxParts {
  readonly credit: () => ReturnType<typeof createCreditSimulator>;
  readonly medical: () => MedicalSimulator;
  /** The payment codes patients' phones show. */
  readonly codes: () => PaymentCodes;
  readonly billFile: (channel: Channel, day: string, subMchId?: string) => { file: Uint8Array; sha1: string };
  readonly billDay: (v: string | undefined) => string | undefined;
  /** Posts a signed Alipay form (a notification or a message) to `url`, retried as Alipay does. */
  readonly notifyAlipay: (
    kind: string,
    ref: string,
    url: string,
    params: Record<string, string>,
  ) => ReturnType<Books['notify']>;
  /** The wallets' complaint systems. */
  readonly complaints: () => ComplaintDesks;
}

/** Starts the sandbox and resolves once it listens on 127.0.0.1. */
export async function startSandbox(options: SandboxOptions) {
  const sandboxBooks = createBooks(options);
  const { orders, refunds, notifications, settings, timers, key, notify, markPaid } = sandboxBooks;
  const hisCallbacks = hisReceiver();
  /** Posts a form Alipay signs (RSA2 over the sorted parameters) to `url`, with the provider's retries. */
  const notifyAlipay = (kind: string, ref: string, url: string, params: Record<string, string>) =>
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
    });
  const parts: SandboxParts = {
    credit: () => credit,
    medical: () => medical,
    codes: () => codes,
    billFile,
    billDay: (v) => billDay(v),
    notifyAlipay,
    complaints: () => complaints,
  };
  const alipay = alipaySurface(sandboxBooks, parts);
  const wechat = wechatpaySurface(sandboxBooks, parts);
  const complaints = complaintDesks(sandboxBooks, { wechatNotification: wechat.notification, notifyAlipay });

  async function notifyPaid(order: Order, probe = false) {
    if (order.channel === 'alipay')
      return notify(
        'alipay',
        'trade_status_sync',
        order.outTradeNo,
        alipay.notification(order, probe ? 'probe' : undefined),
        0,
        probe,
      );
    return notify(
      'wechatpay',
      'TRANSACTION.SUCCESS',
      order.outTradeNo,
      wechat.notification(
        'TRANSACTION.SUCCESS',
        wechat.transaction(order),
        order.notifyUrl,
        probe ? 'probe' : undefined,
      ),
      0,
      probe,
    );
  }

  /**
   * The patient enters a payment code's password: the order is paid. WeChat's 付款码 sends no notification
   * (B3, WXC1); Alipay notifies the notify_url a 10003 named (ISS-ALI).
   */
  const codes = paymentCodes(sandboxBooks, (order) => {
    if (!markPaid(order)) return;
    if (order.channel === 'alipay' && order.notifyUrl && settings.notifications) void notifyPaid(order);
  });

  const platform = createInsurancePlatform(options.insurancePlatform);
  const receipts = options.ereceipt ? ereceiptPlatform(options.ereceipt, sandboxBooks.baseUrl) : undefined;
  const medical = medicalSimulator(platform, {
    books: sandboxBooks,
    wechatNotification: wechat.notification,
    wechatTransaction: wechat.transaction,
  });
  const credit = createCreditSimulator({
    alipay: options.alipay,
    wechatpay: options.wechatpay,
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
    notifyAlipay,
    actingFor: (token) => alipay.actingFor(token),
    notifyWechat: (eventType, originalType, summary, resource, url) =>
      notify(
        'wechatpay',
        eventType,
        (resource as { out_order_no?: string }).out_order_no ?? '',
        wechat.notification(
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
  function billFile(channel: Channel, day: string, subMchId?: string): { file: Uint8Array; sha1: string } {
    // A sub-merchant's or merchant's own bill; Alipay's platform bill holds only the platform's own trades.
    const rows = rowsFor(channel, day).filter((r) =>
      channel === 'alipay' ? r.trade.authAppId === subMchId : !subMchId || r.trade.subMchId === subMchId,
    );
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

  const readBody = (req: IncomingMessage) =>
    new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      req.on('error', reject);
    });
  const HTML = { 'content-type': 'text/html; charset=utf-8' };
  const send = (res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(body);
  };

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const body = await readBody(req);
    const method = req.method ?? 'GET';
    if (url.pathname === '/alipay/gateway.do' && method === 'GET') {
      // A page method (alipay.trade.wap.pay): the browser brings the signed parameters; the gateway checks
      // them as for a call and shows the cashier.
      const answer = JSON.parse(alipay.gateway(url.searchParams, new URLSearchParams())) as Record<
        string,
        { code?: string; sub_msg?: string; out_trade_no?: string } | undefined
      >;
      const r = answer.alipay_trade_wap_pay_response;
      const order = r?.code === '10000' ? orders.get(key('alipay', r.out_trade_no ?? '')) : undefined;
      if (!order) return send(res, 400, `<p>支付宝: ${r?.sub_msg ?? 'not a wap.pay request'}</p>`, HTML);
      return send(res, 200, h5CashierPage(order, url.searchParams.get('return_url') ?? undefined), HTML);
    }
    if (url.pathname === '/sandbox/checkmweb' && method === 'GET') {
      // WeChat Pay's H5 cashier for the prepay id its h5_url named.
      const prepay = url.searchParams.get('prepay_id') ?? '';
      const order = [...orders.values()].find(
        (o) => o.channel === 'wechatpay' && o.tradeType === 'MWEB' && `wx${o.providerTradeNo}` === prepay,
      );
      if (!order) return send(res, 404, '<p>微信支付: 订单不存在</p>', HTML);
      return send(res, 200, h5CashierPage(order, url.searchParams.get('redirect_url') ?? undefined), HTML);
    }
    if (url.pathname === '/sandbox/h5-pay' && method === 'POST') {
      // The payer pays on the cashier page: as themselves (their openid or Alipay user id), then the
      // provider notifies medpay and sends the browser back.
      const form = new URLSearchParams(body);
      const channel = form.get('channel') === 'alipay' ? 'alipay' : 'wechatpay';
      const order = orders.get(key(channel, form.get('outTradeNo') ?? ''));
      if (!order || order.status === 'CLOSED') return send(res, 409, '<p>订单已关闭 · closed</p>', HTML);
      if (order.status !== 'PAID') {
        order.payer = form.get('payer') || order.payer;
        markPaid(order);
        if (settings.notifications) await notifyPaid(order);
      }
      const back = form.get('back');
      if (back) {
        res.writeHead(303, { location: back });
        res.end();
        return;
      }
      return send(res, 200, h5CashierPage(order, undefined), HTML);
    }
    if (url.pathname === '/sandbox/qr' && method === 'GET') {
      // A scannable QR code of `text` (a kiosk's code_url or qr_code), as SVG.
      const text = url.searchParams.get('text') ?? '';
      if (!text || text.length > 512)
        return send(res, 400, JSON.stringify({ error: 'text: 1 to 512 characters' }));
      return send(res, 200, await QRCode.toString(text, { type: 'svg', margin: 2 }), {
        'content-type': 'image/svg+xml',
      });
    }
    if (url.pathname === '/alipay/gateway.do' && method === 'POST') {
      return send(res, 200, alipay.gateway(url.searchParams, new URLSearchParams(body)), {
        'content-type': 'application/json;charset=utf-8',
      });
    }
    const billFileRoute =
      /^\/sandbox\/bill-files\/alipay\/(\d{4}-\d{2}-\d{2})\.zip$/.exec(url.pathname) ??
      (url.pathname === '/v3/billdownload/file'
        ? /^wechatpay-(\d{4}-\d{2}-\d{2})(?:-(\d{8,10}))?$/.exec(url.searchParams.get('token') ?? '')
        : null) ??
      /^\/sandbox\/bills\/(?:alipay|wechatpay)\/(\d{4}-\d{2}-\d{2})$/.exec(url.pathname);
    if (billFileRoute && method === 'GET') {
      const channel: Channel = url.pathname.includes('alipay') ? 'alipay' : 'wechatpay';
      const merchant = billFileRoute[2] ?? url.searchParams.get('merchant') ?? undefined;
      const { file } = billFile(channel, billFileRoute[1] as string, merchant);
      res.writeHead(200, {
        'content-type': channel === 'alipay' ? 'application/zip' : 'application/x-gzip',
        'content-disposition': `attachment; filename="${channel}-${billFileRoute[1]}.${channel === 'alipay' ? 'zip' : 'csv.gz'}"`,
      });
      res.end(Buffer.from(file));
      return;
    }
    if (url.pathname.startsWith('/v3/')) {
      const out = wechat.api(method, url.pathname + url.search, body, req.headers.authorization);
      return send(res, out.status, out.body, out.status < 300 ? wechat.signedHeaders(out.body) : {});
    }
    const receiptMethod = /^\/ereceipt\/([A-Za-z]+)$/.exec(url.pathname);
    if (receipts && receiptMethod?.[1] && method === 'POST') {
      const out = receipts.call(receiptMethod[1], body);
      return send(res, out.status, out.body);
    }
    if (receipts && url.pathname === '/sandbox/ereceipts' && method === 'GET')
      return send(res, 200, JSON.stringify(receipts.bills));
    // A receipt's page (pictureUrl): what the patient opens.
    const receiptPage = /^\/sandbox\/ereceipts\/(\d+)\/(\d+)$/.exec(url.pathname);
    if (receipts && receiptPage && method === 'GET') {
      const bill = receipts.bills.find(
        (b) => b.billBatchCode === receiptPage[1] && b.billNo === receiptPage[2],
      );
      return bill
        ? send(res, 200, JSON.stringify(bill))
        : send(res, 404, JSON.stringify({ error: 'no such receipt' }));
    }
    const infno = /^\/insurance\/platform\/(\d{4})$/.exec(url.pathname);
    if (infno?.[1] && method === 'POST') {
      const out = platform.handle(infno[1], body);
      return send(res, out.status, JSON.stringify(out.body));
    }
    if (url.pathname === '/insurance/auth-exchange/wechatpay' && method === 'POST') {
      let input: { qrCode?: string; openId?: string };
      try {
        input = JSON.parse(body || '{}') as typeof input;
      } catch {
        return send(res, 400, JSON.stringify({ code: 'INVALID_REQUEST' }));
      }
      const out = medical.wechatExchange(input);
      return send(res, out.status, JSON.stringify(out.body));
    }
    if (url.pathname === '/sandbox/medical-insurance/orders' && method === 'GET')
      return send(res, 200, JSON.stringify(medical.waiting()));
    if (url.pathname === '/sandbox/insurance-platform/apps' && method === 'POST') {
      // The province issues a newly registered hospital its app: the hospital's side of the keys, to put
      // under the hospital (insurance-platform-keys) before connecting its identity (docs/hospitals.md).
      return send(res, 201, JSON.stringify(platform.issueApp()));
    }
    if (url.pathname === '/sandbox/medical-insurance/pay' && method === 'POST') {
      // The patient enters the 医保电子凭证 password in the wallet's cashier (one password for both parts).
      const input = JSON.parse(body || '{}') as { outTradeNo?: string };
      const out = await medical.pay(String(input.outTradeNo ?? ''));
      return send(res, out.status, JSON.stringify(out.body));
    }
    if (url.pathname === '/sandbox/medical-insurance/authorise' && method === 'POST') {
      // The wallet's 医保 authorisation page: the patient authorises, the front end gets a single-use code.
      let input: Parameters<typeof platform.authorise>[0];
      try {
        input = JSON.parse(body || '{}') as typeof input;
      } catch {
        return send(res, 400, JSON.stringify({ error: 'body must be JSON {"channel"}' }));
      }
      if (input.channel !== 'alipay' && input.channel !== 'wechatpay')
        return send(res, 400, JSON.stringify({ error: 'channel must be alipay or wechatpay' }));
      const a = platform.authorise(input);
      return send(res, 200, JSON.stringify({ authCode: a.authCode, expiresAt: a.expiresAt }));
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
    // Third-party app authorisation: a merchant authorises the platform's app (→ its app_auth_code, as the
    // redirect to the app's redirect_uri carries it), or cancels that (its gateway gets the message).
    if (url.pathname === '/sandbox/alipay/app-auth' && method === 'POST') {
      const input = (JSON.parse(body || '{}') ?? {}) as { authAppId?: string };
      const code = alipay.grantAppAuth(String(input.authAppId ?? ''));
      return code
        ? send(res, 200, JSON.stringify({ app_id: options.alipay.appId, app_auth_code: code }))
        : send(res, 404, JSON.stringify({ error: 'no such merchant app (see ALIPAY_MERCHANTS)' }));
    }
    if (url.pathname === '/sandbox/alipay/app-auth/revoke' && method === 'POST') {
      const input = (JSON.parse(body || '{}') ?? {}) as { authAppId?: string; gatewayUrl?: string };
      if (!input.authAppId || !input.gatewayUrl)
        return send(res, 400, JSON.stringify({ error: 'body must be JSON {"authAppId","gatewayUrl"}' }));
      const record = await alipay.revokeAppAuth(input.authAppId, input.gatewayUrl);
      return send(res, 200, JSON.stringify({ revoked: true, responseStatus: record.responseStatus }));
    }
    // A patient complains to the wallet about a paid order; again; and the complaint as the wallet keeps it.
    if (url.pathname === '/sandbox/complaints' && method === 'POST') {
      const out = await complaints.open(
        (JSON.parse(body || '{}') ?? {}) as Parameters<typeof complaints.open>[0],
      );
      return send(res, out.status, JSON.stringify(out.body));
    }
    const complaintPath = /^\/sandbox\/complaints\/([^/]+)(\/again)?$/.exec(url.pathname);
    if (complaintPath && method === 'POST' && complaintPath[2]) {
      const out = await complaints.again(decodeURIComponent(complaintPath[1] as string));
      return send(res, out.status, JSON.stringify(out.body));
    }
    if (complaintPath && method === 'GET' && !complaintPath[2]) {
      const found = complaints.view(decodeURIComponent(complaintPath[1] as string));
      return found
        ? send(res, 200, JSON.stringify(found))
        : send(res, 404, JSON.stringify({ error: 'no such complaint' }));
    }
    if (url.pathname === '/sandbox/payment-codes' && method === 'POST') {
      // The patient's phone shows a payment code: valid, one that needs a password (entered after
      // passwordAfterMs, or by POST /sandbox/pay), one already expired, or one already used.
      let input: {
        channel?: Channel;
        kind?: CodeKind;
        payer?: string;
        passwordAfterMs?: number;
        lifetimeMs?: number;
      };
      try {
        input = JSON.parse(body || '{}') as typeof input;
      } catch {
        return send(res, 400, JSON.stringify({ error: 'body must be JSON {"channel","kind"}' }));
      }
      if (input.channel !== 'alipay' && input.channel !== 'wechatpay')
        return send(res, 400, JSON.stringify({ error: 'channel must be alipay or wechatpay' }));
      if (input.kind !== undefined && !CODE_KINDS.includes(input.kind))
        return send(res, 400, JSON.stringify({ error: `kind must be one of ${CODE_KINDS.join(', ')}` }));
      const after = input.passwordAfterMs;
      if (after !== undefined && (!Number.isInteger(after) || after < 0 || after > 600_000))
        return send(
          res,
          400,
          JSON.stringify({ error: 'passwordAfterMs must be an integer from 0 to 600000' }),
        );
      const lifetime = input.lifetimeMs;
      if (lifetime !== undefined && (!Number.isInteger(lifetime) || lifetime < 1 || lifetime > 86_400_000))
        return send(res, 400, JSON.stringify({ error: 'lifetimeMs must be an integer from 1 to 86400000' }));
      const issued = codes.issue({
        channel: input.channel,
        kind: input.kind,
        payer: input.payer,
        passwordAfterMs: after,
        lifetimeMs: lifetime,
      });
      return send(res, 201, JSON.stringify(issued));
    }
    if (url.pathname === '/sandbox/pay' && method === 'POST') {
      // `payer`: who pays an order anyone can pay (a QR code scanned by a family member, say).
      let input: { channel?: Channel; outTradeNo?: string; payer?: string };
      try {
        input = JSON.parse(body) as typeof input;
      } catch {
        return send(res, 400, JSON.stringify({ error: 'body must be JSON {"channel","outTradeNo"}' }));
      }
      const order = orders.get(key(input.channel ?? 'alipay', input.outTradeNo ?? ''));
      if (!order) return send(res, 404, JSON.stringify({ error: 'no such order' }));
      if (order.status === 'CLOSED')
        return send(res, 409, JSON.stringify({ status: order.status, error: 'the order is closed' }));
      if (order.status !== 'PAID' && !order.payer && input.payer) order.payer = input.payer;
      markPaid(order);
      // A WeChat payment code is never notified (B3, WXC1): the payer's password ends a query's wait.
      if (!settings.notifications || order.tradeType === 'MICROPAY')
        return send(res, 200, JSON.stringify({ status: 'PAID', notified: false }));
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
    if (url.pathname === '/sandbox/decline' && method === 'POST') {
      // The patient says no: an order is closed unpaid (as when the cashier is abandoned and the order
      // lapses); a Pay Score order the patient never confirms is revoked. Nothing is notified.
      let input: { channel?: Channel; outTradeNo?: string; outOrderNo?: string };
      try {
        input = JSON.parse(body) as typeof input;
      } catch {
        return send(
          res,
          400,
          JSON.stringify({ error: 'body must be JSON {"channel","outTradeNo"|"outOrderNo"}' }),
        );
      }
      if (input.outOrderNo) {
        const o = credit.serviceOrders.get(input.outOrderNo);
        if (!o || o.state !== 'CREATED')
          return send(res, 409, JSON.stringify({ error: 'no Pay Score order waiting for the patient' }));
        o.state = 'REVOKED';
        return send(res, 200, JSON.stringify({ state: o.state }));
      }
      const order = orders.get(key(input.channel ?? 'alipay', input.outTradeNo ?? ''));
      if (!order) return send(res, 404, JSON.stringify({ error: 'no such order' }));
      if (order.status !== 'PENDING')
        return send(
          res,
          409,
          JSON.stringify({ status: order.status, error: `the order is ${order.status}` }),
        );
      order.status = 'CLOSED';
      return send(res, 200, JSON.stringify({ status: order.status }));
    }
    // A refund made by the merchant at the provider's portal: in the provider's books and bill, never
    // notified to medpay (what reconciliation then finds as missingInLedger).
    if (url.pathname === '/sandbox/portal-refund' && method === 'POST') {
      const input = JSON.parse(body || '{}') as {
        channel?: Channel;
        outTradeNo?: string;
        amountFen?: number;
      };
      const order = orders.get(key(input.channel ?? 'alipay', input.outTradeNo ?? ''));
      const amountFen = input.amountFen;
      if (!order || order.status !== 'PAID')
        return send(res, 404, JSON.stringify({ error: 'no such paid order' }));
      if (
        !Number.isInteger(amountFen) ||
        !amountFen ||
        amountFen <= 0 ||
        order.refundedFen + amountFen > order.amountFen
      )
        return send(
          res,
          400,
          JSON.stringify({ error: 'amountFen must be a positive integer within the refundable amount' }),
        );
      order.refundedFen += amountFen as Fen;
      const outRefundNo = `PORTAL${Date.now()}${randomInt(1e6)}`;
      const refund = {
        channel: order.channel,
        outTradeNo: order.outTradeNo,
        outRefundNo,
        amountFen: amountFen as Fen,
        status: 'SUCCESS' as const,
        refundId: `50${Date.now()}`,
        succeededAt: new Date(),
      };
      refunds.set(key(order.channel, outRefundNo), refund);
      return send(res, 200, JSON.stringify(refund));
    }
    if (url.pathname === '/sandbox/probe' && method === 'POST') {
      const input = JSON.parse(body || '{}') as { channel?: Channel; outTradeNo?: string };
      const order = orders.get(key(input.channel ?? 'alipay', input.outTradeNo ?? ''));
      if (!order) return send(res, 404, JSON.stringify({ error: 'no such order' }));
      const record = await notifyPaid(order, true);
      return send(res, 200, JSON.stringify(record));
    }
    if (url.pathname === '/sandbox/settings' && method === 'POST') {
      const { insurancePlatform, ereceiptOutage, ...rest } = JSON.parse(body || '{}') as Partial<
        typeof settings
      > & {
        insurancePlatform?: Partial<typeof platform.settings>;
        /** The e-receipt platform answers 503 to everything while true. */
        ereceiptOutage?: boolean;
      };
      if (receipts && typeof ereceiptOutage === 'boolean') receipts.settings.outage = ereceiptOutage;
      const { billFaults, ...others } = rest;
      Object.assign(settings, others);
      for (const [channel, faults] of Object.entries(billFaults ?? {}) as Array<
        [Channel, Partial<BillFaults>]
      >)
        settings.billFaults[channel] = { drop: [], amountDelta: {}, nextDay: [], extra: 0, ...faults };
      if (insurancePlatform) Object.assign(platform.settings, insurancePlatform);
      return send(res, 200, JSON.stringify({ ...settings, insurancePlatform: platform.settings }));
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
        }),
      );
    }
    const his = /^\/sandbox\/his\/([\w.-]{1,64})(\/fail)?$/.exec(url.pathname);
    if (his?.[1] && !his[2] && method === 'POST') {
      const answered = hisCallbacks.receive(his[1], req.headers, body);
      return send(res, answered, JSON.stringify({ received: answered === 200 }));
    }
    if (his?.[1] && his[2] && method === 'POST') {
      const times = Number((JSON.parse(body || '{}') as { times?: unknown }).times ?? 1);
      if (!Number.isInteger(times) || times < 0 || times > 100)
        return send(res, 400, JSON.stringify({ error: 'times must be an integer from 0 to 100' }));
      hisCallbacks.failNext(his[1], times);
      return send(res, 200, JSON.stringify({ name: his[1], failNext: times }));
    }
    if (url.pathname === '/sandbox/his' && method === 'GET')
      return send(res, 200, JSON.stringify(hisCallbacks.received()));
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

  const kept = options.stateFile
    ? persistentBooks(options.stateFile, {
        orders,
        refunds,
        freezes: credit.freezes,
        serviceOrders: credit.serviceOrders,
        captures: credit.captures,
        platformOrders: platform.orders,
        medicalAuthorisations: platform.authorisations,
        mixOrders: medical.mixOrders,
        medicalTrades: medical.medicalTrades,
      })
    : undefined;
  const server = createServer((req, res) => {
    handle(req, res)
      .catch((error: unknown) => send(res, 500, JSON.stringify({ error: String(error) })))
      .finally(() => kept?.save());
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  sandboxBooks.setBaseUrl(`http://127.0.0.1:${port}`);
  return {
    url: `http://127.0.0.1:${port}`,
    orders,
    refunds,
    notifications,
    settings,
    credit,
    platform,
    medical,
    receipts,
    close: () =>
      new Promise<void>((resolve) => {
        kept?.stop();
        for (const t of timers) clearTimeout(t);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
