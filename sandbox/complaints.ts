/* eslint-disable @typescript-eslint/no-explicit-any -- request bodies are untyped JSON on the wire, checked field by field */
/**
 * The wallets' complaint systems as the sandbox plays them (WeChat Pay 消费者投诉 2.0, Alipay 交易投诉). A
 * patient complains about a paid order (POST /sandbox/complaints); the wallet notifies the merchant with the
 * complaint's id only, and answers the merchant's queries, replies, refund approval and completion, each kept
 * in the complaint's history (GET /sandbox/complaints/{id}). Read from the published APIs
 * (tests/conformance/complaints.conformance.test.ts, C1–C11), independently of lib/adapters. The sandbox's
 * own rules, where nothing is published: the error codes' texts, and that a complaint can be completed
 * before any reply. Never deployed.
 */
import type { Books, Channel, Order } from './books';
import { isSubMerchant } from './books';
import type { WechatNotification } from './medical';
import type { SandboxParts } from './server';
import { wechatTime } from './signing';

/** One complaint as the sandbox keeps it. */
export interface SandboxComplaint {
  readonly complaintId: string;
  readonly channel: Channel;
  /** WeChat complainted_mchid: the merchant, or the sub-merchant the order was made for. */
  readonly merchant: string;
  /** Alipay: the merchant app whose app_auth_token may act on it (partner orders). */
  readonly authAppId?: string;
  readonly order: Order;
  readonly description: string;
  /** WeChat problem_type (REFUND, SERVICE_NOT_WORK, OTHERS). */
  readonly problemType: string;
  readonly applyRefundFen?: number;
  state: string;
  times: number;
  readonly createdAt: Date;
  readonly notifyUrl: string;
  refundApproved: boolean;
  readonly history: Array<{ at: string; action: string; content?: string }>;
}

/** What the complaint surface needs of the rest of the sandbox. */
export interface ComplaintParts {
  readonly wechatNotification: WechatNotification;
  readonly notifyAlipay: SandboxParts['notifyAlipay'];
}

/** WeChat problem_type's values (query-complaint-v2). */
const PROBLEM_TYPES = ['REFUND', 'SERVICE_NOT_WORK', 'OTHERS'];
/** Alipay feedback_code's values (AlipayMerchantTradecomplainFeedbackSubmitRequest). */
const FEEDBACK_CODES = ['00', '02', '03', '04', '05', '06'];

/** Yuan as Alipay writes amounts, from integer fen (no floating point). */
const yuan = (fen: number) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;

/** `yyyy-MM-dd HH:mm:ss` in Beijing time, as Alipay writes times. */
const beijing = (d: Date) =>
  new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');

/** The complaint systems over `books`. */
export function complaintDesks(books: Books, parts: ComplaintParts) {
  const { options, orders, key, id, notify } = books;
  const complaints = new Map<string, SandboxComplaint>();

  /** Tells the merchant the complaint changed: WeChat names the action; Alipay's message names the id. */
  function notifyChange(c: SandboxComplaint, action: string) {
    c.history.push({ at: new Date().toISOString(), action });
    if (c.channel === 'wechatpay') {
      const eventType = action === 'CREATE_COMPLAINT' ? 'COMPLAINT.CREATE' : 'COMPLAINT.STATE_CHANGE';
      return notify(
        'wechatpay',
        eventType,
        c.order.outTradeNo,
        parts.wechatNotification(
          eventType,
          { complaint_id: c.complaintId, action_type: action },
          c.notifyUrl,
          undefined,
          'complaint',
          '投诉通知',
        ),
      );
    }
    return parts.notifyAlipay('tradecomplain', c.order.outTradeNo, c.notifyUrl, {
      notify_id: id('', 32),
      msg_method: 'alipay.merchant.tradecomplain.changed',
      app_id: options.alipay.appId,
      ...(c.authAppId ? { auth_app_id: c.authAppId } : {}),
      utc_timestamp: String(Date.now()),
      version: '1.1',
      charset: 'utf-8',
      biz_content: JSON.stringify({ complain_event_id: c.complaintId }),
    });
  }

  /** A patient complains about a paid order (POST /sandbox/complaints). */
  async function open(input: {
    channel?: Channel;
    outTradeNo?: string;
    description?: string;
    problemType?: string;
    applyRefundFen?: number;
    notifyUrl?: string;
  }) {
    const channel = input.channel === 'alipay' ? 'alipay' : 'wechatpay';
    const order = orders.get(key(channel, input.outTradeNo ?? ''));
    if (!order || order.status !== 'PAID')
      return { status: 404, body: { error: 'no paid order by that outTradeNo' } };
    if (!input.notifyUrl) return { status: 400, body: { error: 'notifyUrl is required' } };
    const problemType = input.problemType ?? 'OTHERS';
    if (!PROBLEM_TYPES.includes(problemType)) return { status: 400, body: { error: 'problemType' } };
    const c: SandboxComplaint = {
      // WeChat's are 27 digits (200201820200101080076610000), Alipay's 25 (2026082810002001234567890).
      complaintId: channel === 'wechatpay' ? id('2002', 23) : id('2026', 21),
      channel,
      merchant: order.subMchId ?? options.wechatpay.mchId,
      ...(order.authAppId ? { authAppId: order.authAppId } : {}),
      order,
      description: input.description ?? '对收费有疑问',
      problemType,
      ...(input.applyRefundFen ? { applyRefundFen: input.applyRefundFen } : {}),
      state: channel === 'wechatpay' ? 'PENDING' : 'MERCHANT_PROCESSING',
      times: 1,
      createdAt: new Date(),
      notifyUrl: input.notifyUrl,
      refundApproved: false,
      history: [],
    };
    complaints.set(c.complaintId, c);
    const record = await notifyChange(c, 'CREATE_COMPLAINT');
    return { status: 201, body: { complaintId: c.complaintId, responseStatus: record.responseStatus } };
  }

  /** The patient complains again (WeChat CONTINUE_COMPLAINT): the complaint is pending once more. */
  async function again(complaintId: string) {
    const c = complaints.get(complaintId);
    if (!c) return { status: 404, body: { error: 'no such complaint' } };
    c.times++;
    c.state = c.channel === 'wechatpay' ? 'PENDING' : 'MERCHANT_PROCESSING';
    const record = await notifyChange(c, 'CONTINUE_COMPLAINT');
    return { status: 200, body: { complaintId, times: c.times, responseStatus: record.responseStatus } };
  }

  /** A refund of a complained order succeeded: an approved WeChat refund complaint is then processed. */
  function refunded(channel: Channel, outTradeNo: string) {
    for (const c of complaints.values())
      if (
        c.channel === channel &&
        c.order.outTradeNo === outTradeNo &&
        c.refundApproved &&
        c.state !== 'PROCESSED'
      ) {
        // "退款到账后,投诉单的状态将自动扭转为“处理完成”" (the API's guide).
        c.state = 'PROCESSED';
        void notifyChange(c, 'REFUND_SUCCESS');
      }
  }

  /** GET /v3/merchant-service/complaints-v2/{complaint_id} (query-complaint-v2). */
  const wechatDetail = (c: SandboxComplaint) => ({
    complaint_id: c.complaintId,
    complaint_time: wechatTime(c.createdAt),
    complaint_detail: c.description,
    complaint_state: c.state,
    complainted_mchid: c.merchant,
    complaint_order_info: [
      {
        transaction_id: c.order.providerTradeNo,
        out_trade_no: c.order.outTradeNo,
        amount: c.order.amountFen,
      },
    ],
    complaint_full_refunded: c.order.refundedFen >= c.order.amountFen,
    incoming_user_response: false,
    user_complaint_times: c.times,
    complaint_media_list: [],
    problem_description: c.description,
    problem_type: c.problemType,
    ...(c.applyRefundFen ? { apply_refund_amount: c.applyRefundFen } : {}),
  });

  /** WeChat's complaint routes; undefined for other paths. */
  function wechatRoute(method: string, path: string, req: Record<string, any>) {
    const m =
      /^\/v3\/merchant-service\/complaints-v2\/([^/]+)(\/response|\/complete|\/update-refund-progress)?$/.exec(
        path,
      );
    if (!m) return undefined;
    const c = complaints.get(decodeURIComponent(m[1] as string));
    const mine =
      c?.channel === 'wechatpay' &&
      (c.merchant === options.wechatpay.mchId || isSubMerchant(options.wechatpay, c.merchant));
    if (!c || !mine) return { status: 404, body: { code: 'RESOURCE_NOT_EXISTS', message: '投诉单不存在' } };
    const action = m[2];
    if (method === 'GET' && !action) return { status: 200, body: wechatDetail(c) };
    if (method !== 'POST' || !action) return undefined;
    if (action !== '/update-refund-progress' && req.complainted_mchid !== c.merchant)
      return { status: 400, body: { code: 'PARAM_ERROR', message: 'complainted_mchid 与投诉单不符' } };
    if (action === '/response') {
      const text: unknown = req.response_content;
      if (typeof text !== 'string' || text.length === 0 || [...text].length > 500)
        return { status: 400, body: { code: 'PARAM_ERROR', message: 'response_content 长度应为 1–500' } };
      // "首次回复用户后,投诉单状态将由待处理更新为处理中".
      if (c.state === 'PENDING') c.state = 'PROCESSING';
      c.history.push({ at: new Date().toISOString(), action: 'MERCHANT_RESPONSE', content: text });
      return { status: 204, body: undefined };
    }
    if (action === '/update-refund-progress') {
      // Only a complaint that asked for a refund ("更新“申请退款”单据的退款审批结果").
      if (c.problemType !== 'REFUND')
        return { status: 400, body: { code: 'PARAM_ERROR', message: '非申请退款单据' } };
      if (req.action !== 'APPROVE' && req.action !== 'REJECT')
        return { status: 400, body: { code: 'PARAM_ERROR', message: 'action 应为 APPROVE 或 REJECT' } };
      c.refundApproved = req.action === 'APPROVE';
      // "驳回退款后,投诉单的状态将自动扭转为“处理完成”".
      if (req.action === 'REJECT') c.state = 'PROCESSED';
      void notifyChange(c, req.action === 'APPROVE' ? 'MERCHANT_APPROVE_REFUND' : 'MERCHANT_REJECT_REFUND');
      return { status: 204, body: undefined };
    }
    c.state = 'PROCESSED';
    void notifyChange(c, 'MERCHANT_CONFIRM_COMPLETE');
    return { status: 204, body: undefined };
  }

  /** Alipay's tradecomplain methods, for the merchant app `actingFor` acts for; undefined for others. */
  function alipayMethod(
    method: string,
    biz: Record<string, string>,
    reply: (o: Record<string, unknown>) => string,
    fail: (code: string, msg: string, sub: string, subMsg: string) => string,
    actingFor?: string,
  ): string | undefined {
    if (!method.startsWith('alipay.merchant.tradecomplain.')) return undefined;
    const found = complaints.get(biz.complain_event_id ?? '');
    const c = found?.channel === 'alipay' && found.authAppId === actingFor ? found : undefined;
    if (!c) return fail('40004', 'Business Failed', 'COMPLAIN_NOT_EXIST', '投诉单不存在');
    if (method === 'alipay.merchant.tradecomplain.query')
      return reply({
        code: '10000',
        msg: 'Success',
        complain_event_id: c.complaintId,
        status: c.state,
        trade_no: c.order.providerTradeNo,
        merchant_order_no: c.order.outTradeNo,
        gmt_create: beijing(c.createdAt),
        gmt_modified: beijing(new Date()),
        leaf_category_name: c.problemType === 'REFUND' ? '退款' : '其他',
        complain_reason: c.problemType === 'REFUND' ? '要求退款' : '服务问题',
        content: c.description,
        images: [],
        trade_amount: yuan(c.order.amountFen),
      });
    if (method === 'alipay.merchant.tradecomplain.reply.submit') {
      if (!biz.reply_content)
        return fail('40002', 'Invalid Arguments', 'isv.missing-parameter', '缺少 reply_content');
      c.history.push({ at: new Date().toISOString(), action: 'MERCHANT_REPLY', content: biz.reply_content });
      return reply({ code: '10000', msg: 'Success' });
    }
    if (method === 'alipay.merchant.tradecomplain.feedback.submit') {
      const content = biz.feedback_content ?? '';
      if (!FEEDBACK_CODES.includes(biz.feedback_code ?? '') || !content || [...content].length > 200)
        return fail(
          '40002',
          'Invalid Arguments',
          'isv.invalid-parameter',
          'feedback_code 或 feedback_content 不合法',
        );
      c.state = 'MERCHANT_FEEDBACKED';
      c.history.push({
        at: new Date().toISOString(),
        action: `MERCHANT_FEEDBACK_${biz.feedback_code}`,
        content,
      });
      void notifyChange(c, 'MERCHANT_FEEDBACKED');
      return reply({ code: '10000', msg: 'Success' });
    }
    return fail('40004', 'Business Failed', 'isv.invalid-method', `sandbox does not implement ${method}`);
  }

  /** A complaint as the sandbox keeps it (GET /sandbox/complaints/{id}). */
  const view = (complaintId: string) => {
    const c = complaints.get(complaintId);
    if (!c) return undefined;
    const { order, ...rest } = c;
    return { ...rest, outTradeNo: order.outTradeNo };
  };

  return { open, again, refunded, wechatRoute, alipayMethod, view };
}

/** The sandbox's complaint systems. */
export type ComplaintDesks = ReturnType<typeof complaintDesks>;
