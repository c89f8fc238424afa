/**
 * Conformance: every complaint field medpay sends or reads, as published (disputes, #24).
 *
 * Facts:
 *   C1 WeChat 投诉通知回调 (pay.weixin.qq.com/docs/merchant/apis/consumer-complaint/complaint-notifications/
 *      complaint-notifications.html; wechatpay-im/website webhook/v3/COMPLAINT.CREATE.md and
 *      COMPLAINT.STATE_CHANGE.md): event_type COMPLAINT.CREATE | COMPLAINT.STATE_CHANGE, an AEAD_AES_256_GCM
 *      resource whose plaintext is `complaint_id` and `action_type` (CREATE_COMPLAINT, CONTINUE_COMPLAINT,
 *      USER_RESPONSE, RESPONSE_BY_PLATFORM, SELLER_REFUND, MERCHANT_RESPONSE, MERCHANT_CONFIRM_COMPLETE,
 *      USER_APPLY_PLATFORM_SERVICE, USER_CANCEL_PLATFORM_SERVICE, PLATFORM_SERVICE_FINISHED,
 *      MERCHANT_APPROVE_REFUND, MERCHANT_REJECT_REFUND, REFUND_SUCCESS) and nothing else: no mchid. "根据通知回调
 *      给出的投诉单号查询投诉单详情"; "商户系统对于开启结果通知的内容一定要做签名验证".
 *   C2 WeChat 查询投诉单详情 GET /v3/merchant-service/complaints-v2/{complaint_id} (query-complaint-v2.html;
 *      its example as the SKIT.FlurlHttpClient.Wechat model sample carries it): complaint_id, complaint_time
 *      RFC 3339, complaint_detail, complaint_state PENDING | PROCESSING | PROCESSED, complainted_mchid,
 *      complaint_order_info[].{transaction_id, out_trade_no, amount (分)}, complaint_full_refunded,
 *      incoming_user_response, user_complaint_times, problem_description, problem_type REFUND |
 *      SERVICE_NOT_WORK | OTHERS, apply_refund_amount (分).
 *   C3 WeChat 回复用户 POST …/{complaint_id}/response: complainted_mchid, response_content string(500); 204.
 *   C4 WeChat 反馈处理完成 POST …/{complaint_id}/complete: complainted_mchid; 204.
 *   C5 WeChat 更新退款审批结果 POST …/{complaint_id}/update-refund-progress: action REJECT | APPROVE,
 *      launch_refund_day ("预计发起退款时间，在同意退款时返回"), for an "申请退款" complaint; "同意退款后,需要
 *      额外调退款接口发起原路退款。退款到账后,投诉单的状态将自动扭转为“处理完成”" (the API's business guide).
 *   C6 WeChat's deadlines (消费者投诉处理指南, kf.qq.com/faq/230125a6NbmA230125vMNZnE.html): "商家最晚需在投诉单
 *      生成24h内操作回复 … 72h内妥善处理完用户问题".
 *   C7 Alipay alipay.merchant.tradecomplain.query (alipay-sdk-java-all AlipayMerchantTradecomplainQueryResponse):
 *      complain_event_id, status, trade_no, merchant_order_no, gmt_create, gmt_modified, gmt_finished,
 *      leaf_category_name (用户投诉诉求), complain_reason, content, images, phone_no, trade_amount (交易金额，单位元),
 *      reply_detail_infos, target_id, target_type.
 *   C8 Alipay complaint status (AlipayMerchantTradecomplainBatchqueryModel.status): MERCHANT_PROCESSING 商家处理中,
 *      MERCHANT_FEEDBACKED 商家已反馈, FINISHED 投诉已完结, CANCELLED 投诉已撤销, PLATFORM_PROCESSING 平台处理中,
 *      PLATFORM_FINISH 平台处理完结, CLOSED 系统关闭.
 *   C9 Alipay alipay.merchant.tradecomplain.reply.submit (AlipayMerchantTradecomplainReplySubmitModel):
 *      complain_event_id, reply_content, reply_images.
 *   C10 Alipay alipay.merchant.tradecomplain.feedback.submit (AlipayMerchantTradecomplainFeedbackSubmitRequest):
 *      complain_event_id, feedback_code "00:使用体验保障金退款；02:通过其他方式退款; 03:已发货; 04:其他;
 *      05:已完成售后服务; 06:非我方责任范围", feedback_content "字数不超过200个字", feedback_images, operator.
 *   C11 Alipay alipay.merchant.tradecomplain.changed (opendocs.alipay.com/open/99c0bf7f_alipay.merchant.
 *      tradecomplain.changed): a message-service form, signed as notifications are, whose biz_content names
 *      complain_event_id; public gateways read that id and query the complaint.
 *   C12 Alipay's deadline: the open platform's announcement of its trade-complaint system, "限定72小时内处理用户
 *      投诉" (a press summary: a weak source, said so in docs/disputes.md); no first-reply deadline is published.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { alipayComplaint, alipayComplaintDesk } from '../../lib/adapters/alipay/complaints';
import type { AlipayClient, AlipayResult } from '../../lib/adapters/alipay/client';
import { alipayClient } from '../../lib/adapters/alipay/client';
import { verifyAlipayNotification } from '../../lib/adapters/alipay/notification';
import type { WechatApi } from '../../lib/adapters/wechatpay/client';
import { wechatComplaint, wechatComplaintDesk } from '../../lib/adapters/wechatpay/complaints';
import { verifyWechatpayNotification } from '../../lib/adapters/wechatpay/notification';
import { DISPUTE_DEADLINES } from '../../lib/domain/dispute';
import { rsaKeyPair } from '../support/provider-keys';
import { alipayNotificationBody } from './support/alipay';
import { reasonOf } from './support/read';
import { wechatNotification } from './support/wechatpay';

/** C2's published example detail. */
const detail = {
  complaint_id: '200201820200101080076610000',
  complaint_time: '2015-05-20T13:29:35.120+08:00',
  complaint_detail: '反馈一个重复扣费的问题',
  complainted_mchid: '1900012181',
  complaint_state: 'PENDING',
  payer_phone: 'sGdNeTHMQGlxCWiUyHu6XNO9GCYln2Luv4HhwJzZBfcL12sB',
  payer_openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
  complaint_order_info: [
    { transaction_id: '4200000404201909069117582536', out_trade_no: '20190906154617947762231', amount: 3 },
  ],
  complaint_full_refunded: true,
  incoming_user_response: true,
  user_complaint_times: 1,
  complaint_media_list: [
    {
      media_type: 'USER_COMPLAINT_IMAGE',
      media_url: ['https://api.mch.weixin.qq.com/v3/merchant-service/images/xxxxx'],
    },
  ],
  problem_description: '不满意商家服务',
  problem_type: 'REFUND',
  apply_refund_amount: 10,
  user_tag_list: ['TRUSTED'],
};

describe('WeChat Pay complaint notifications (C1)', () => {
  const platform = rsaKeyPair();
  const notifier = {
    apiV3Key: randomBytes(16).toString('hex'),
    serial: 'PUB_KEY_ID_0112345678902024110100000000',
    platformPrivateKey: platform.privateKey,
  };
  const config = {
    mchId: '1230000109',
    appId: 'wxd678efh567hg6787',
    apiV3Key: notifier.apiV3Key,
    platformKeys: { [notifier.serial]: platform.publicKey },
  };
  const notification = (eventType: string, resource: object, key = notifier) =>
    wechatNotification(key, eventType, resource, { originalType: 'complaint' });

  it('reads complaint_id and action_type, with no merchant in the resource (it is checked after the query)', () => {
    for (const [eventType, action] of [
      ['COMPLAINT.CREATE', 'CREATE_COMPLAINT'],
      ['COMPLAINT.STATE_CHANGE', 'CONTINUE_COMPLAINT'],
      ['COMPLAINT.STATE_CHANGE', 'REFUND_SUCCESS'],
    ] as const) {
      const event = verifyWechatpayNotification(
        config,
        notification(eventType, { complaint_id: detail.complaint_id, action_type: action }),
        new Date(),
      );
      expect(event).toMatchObject({
        kind: 'complaint.changed',
        channel: 'wechatpay',
        complaintId: detail.complaint_id,
        action,
      });
      expect(event.subMerchant).toBeUndefined();
    }
  });

  it('refuses one signed with another key, and one without complaint_id or action_type', () => {
    const forger = { ...notifier, platformPrivateKey: rsaKeyPair().privateKey };
    expect(
      reasonOf(() =>
        verifyWechatpayNotification(
          config,
          notification(
            'COMPLAINT.CREATE',
            { complaint_id: detail.complaint_id, action_type: 'CREATE_COMPLAINT' },
            forger,
          ),
          new Date(),
        ),
      ),
    ).toBe('BAD_SIGNATURE');
    expect(
      reasonOf(() =>
        verifyWechatpayNotification(
          config,
          notification('COMPLAINT.CREATE', { action_type: 'CREATE_COMPLAINT' }),
          new Date(),
        ),
      ),
    ).toBe('MALFORMED');
    expect(
      reasonOf(() =>
        verifyWechatpayNotification(
          config,
          notification('COMPLAINT.CREATE', { complaint_id: detail.complaint_id }),
          new Date(),
        ),
      ),
    ).toBe('MALFORMED');
  });
});

describe('WeChat Pay complaint details (C2)', () => {
  it('reads the published example: its order in 分, the merchant complained about, the refund asked', () => {
    expect(wechatComplaint(detail)).toEqual({
      complaintId: detail.complaint_id,
      merchantId: '1900012181',
      state: 'PENDING',
      ended: false,
      awaitingMerchant: true,
      description: '不满意商家服务 — 反馈一个重复扣费的问题',
      openedAt: new Date('2015-05-20T05:29:35.120Z'),
      complaintTimes: 1,
      problemType: 'REFUND',
      requestedRefundFen: 10,
      orders: [
        {
          outTradeNo: '20190906154617947762231',
          providerTradeNo: '4200000404201909069117582536',
          amountFen: 3,
        },
      ],
    });
  });

  it('PROCESSED is ended; PENDING and PROCESSING are not; a detail without its order amount is refused', () => {
    expect(wechatComplaint({ ...detail, complaint_state: 'PROCESSED' }).ended).toBe(true);
    expect(wechatComplaint({ ...detail, complaint_state: 'PROCESSING' }).ended).toBe(false);
    expect(() =>
      wechatComplaint({ ...detail, complaint_order_info: [{ out_trade_no: 'x', transaction_id: 'y' }] }),
    ).toThrow(/amount/);
  });
});

describe('WeChat Pay complaint steps (C3–C5)', () => {
  /** A transport that records each signed call and answers as WeChat does: 200 for a query, 204 for a step. */
  function recording() {
    const calls: Array<{ operation: string; method: string; path: string; body?: unknown }> = [];
    const call = ((operation: string, method: 'GET' | 'POST', path: string, body?: unknown) => {
      calls.push({ operation, method, path, body });
      return Promise.resolve(method === 'GET' ? { status: 200, data: detail } : { status: 204, data: {} });
    }) as WechatApi;
    return { calls, desk: wechatComplaintDesk(call, '1900012181') };
  }
  const base = `/v3/merchant-service/complaints-v2/${detail.complaint_id}`;

  it('queries the detail by complaint_id', async () => {
    const { calls, desk } = recording();
    await desk.fetch(detail.complaint_id);
    expect(calls).toEqual([{ operation: 'queryComplaint', method: 'GET', path: base, body: undefined }]);
  });

  it('replies with complainted_mchid and response_content (at most 500 characters)', async () => {
    const { calls, desk } = recording();
    await desk.reply(detail.complaint_id, '已核实'.repeat(200));
    expect(calls[0]).toMatchObject({ method: 'POST', path: `${base}/response` });
    expect(calls[0]?.body).toEqual({
      complainted_mchid: '1900012181',
      response_content: '已核实'.repeat(200).slice(0, 500),
    });
  });

  it('completes with complainted_mchid', async () => {
    const { calls, desk } = recording();
    await desk.complete(detail.complaint_id, { refunded: true, note: 'x' });
    expect(calls).toEqual([
      {
        operation: 'completeComplaint',
        method: 'POST',
        path: `${base}/complete`,
        body: { complainted_mchid: '1900012181' },
      },
    ]);
  });

  it('approves a refund only for a complaint that asked for one, before the refund is made', async () => {
    const { calls, desk } = recording();
    await desk.approveRefund({ complaintId: detail.complaint_id, problemType: 'SERVICE_NOT_WORK' });
    expect(calls).toEqual([]);
    await desk.approveRefund({ complaintId: detail.complaint_id, problemType: 'REFUND' });
    expect(calls).toEqual([
      {
        operation: 'approveComplaintRefund',
        method: 'POST',
        path: `${base}/update-refund-progress`,
        body: { action: 'APPROVE', launch_refund_day: 0 },
      },
    ]);
  });
});

describe('deadlines (C6, C12)', () => {
  it('WeChat: the first reply within 24 h, handled within 72 h; Alipay: handled within 72 h', () => {
    expect(DISPUTE_DEADLINES.wechatpay).toEqual({ replyHours: 24, resolveHours: 72 });
    expect(DISPUTE_DEADLINES.alipay.resolveHours).toBe(72);
  });
});

/** C7's fields, as the SDK's response model names them. */
const queried: AlipayResult = {
  code: '10000',
  msg: 'Success',
  complain_event_id: '2026082810002001234567890',
  status: 'MERCHANT_PROCESSING',
  trade_no: '2026112322001400000000000001',
  merchant_order_no: 'MPC001',
  gmt_create: '2026-11-23 10:00:00',
  gmt_modified: '2026-11-23 10:05:00',
  leaf_category_name: '退款',
  complain_reason: '要求退款',
  content: '检查没做却扣费',
  phone_no: '138****0000',
  trade_amount: '25.50',
  target_id: '2021000122671080',
  target_type: 'APPID',
};

describe('Alipay trade complaints (C7, C8)', () => {
  it('reads the query: the order by merchant_order_no and trade_no, trade_amount from 元 to 分, gmt_create in Beijing time', () => {
    expect(alipayComplaint(queried)).toEqual({
      complaintId: '2026082810002001234567890',
      state: 'MERCHANT_PROCESSING',
      ended: false,
      awaitingMerchant: true,
      description: '要求退款 — 检查没做却扣费',
      openedAt: new Date('2026-11-23T02:00:00Z'),
      complaintTimes: 1,
      problemType: '退款',
      orders: [{ outTradeNo: 'MPC001', providerTradeNo: '2026112322001400000000000001', amountFen: 2550 }],
    });
  });

  it('FINISHED, CANCELLED, PLATFORM_FINISH and CLOSED are ended; the merchant and platform stages are not', () => {
    for (const status of ['FINISHED', 'CANCELLED', 'PLATFORM_FINISH', 'CLOSED'])
      expect(alipayComplaint({ ...queried, status }).ended).toBe(true);
    for (const status of ['MERCHANT_PROCESSING', 'MERCHANT_FEEDBACKED', 'PLATFORM_PROCESSING'])
      expect(alipayComplaint({ ...queried, status }).ended).toBe(false);
  });
});

describe('Alipay trade complaint steps (C9, C10)', () => {
  function recording() {
    const calls: Array<{ method: string; biz: Record<string, unknown> }> = [];
    const client: AlipayClient = {
      gateway: 'http://127.0.0.1:9/gateway.do',
      exec: (method, biz) => {
        calls.push({ method, biz });
        return Promise.resolve({ code: '10000', msg: 'Success' });
      },
      orderString: () => '',
      verifyNotification: () => false,
    };
    return { calls, desk: alipayComplaintDesk(client) };
  }

  it('replies with complain_event_id and reply_content', async () => {
    const { calls, desk } = recording();
    await desk.reply(queried.complain_event_id ?? '', '您好，正在核实');
    expect(calls).toEqual([
      {
        method: 'alipay.merchant.tradecomplain.reply.submit',
        biz: { complain_event_id: queried.complain_event_id, reply_content: '您好，正在核实' },
      },
    ]);
  });

  it('completes with feedback_code 02 after a refund medpay made, 05 otherwise, feedback_content ≤ 200', async () => {
    const { calls, desk } = recording();
    await desk.complete('E1', { refunded: true, note: '已退款' });
    await desk.complete('E2', { refunded: false, note: '说'.repeat(300) });
    expect(calls.map((c) => c.method)).toEqual([
      'alipay.merchant.tradecomplain.feedback.submit',
      'alipay.merchant.tradecomplain.feedback.submit',
    ]);
    expect(calls[0]?.biz).toEqual({
      complain_event_id: 'E1',
      feedback_code: '02',
      feedback_content: '已退款',
    });
    expect(calls[1]?.biz).toMatchObject({ complain_event_id: 'E2', feedback_code: '05' });
    expect(String(calls[1]?.biz.feedback_content)).toHaveLength(200);
    // Alipay has no step agreeing a refund before it is made.
    await desk.approveRefund({ complaintId: 'E1', problemType: '退款' });
    expect(calls).toHaveLength(2);
  });
});

describe('Alipay complaint messages (C11)', () => {
  const alipay = rsaKeyPair();
  const ids = { appId: '2019073166072302', sellerId: '2088531891668739' };
  const sdk = alipayClient({
    mode: 'public-key',
    appId: ids.appId,
    appPrivateKey: rsaKeyPair().privateKey,
    alipayPublicKey: alipay.publicKey,
    gateway: 'http://127.0.0.1:9/gateway.do',
  });
  const message = (biz: object, extra: Record<string, string> = {}) => ({
    notify_id: '2026112300222090009036611453021299',
    msg_method: 'alipay.merchant.tradecomplain.changed',
    app_id: ids.appId,
    utc_timestamp: '1732334400000',
    version: '1.1',
    charset: 'utf-8',
    biz_content: JSON.stringify(biz),
    ...extra,
  });
  const verify = (params: Record<string, string>, key = alipay.privateKey) =>
    verifyAlipayNotification(sdk, ids, { headers: {}, body: alipayNotificationBody(params, key) });

  it('reads complain_event_id from biz_content (no seller_id in a message); a partner app is named', () => {
    expect(verify(message({ complain_event_id: '2026082810002001234567890' }))).toEqual({
      kind: 'complaint.changed',
      channel: 'alipay',
      notificationId: '2026112300222090009036611453021299',
      complaintId: '2026082810002001234567890',
    });
    expect(verify(message({ complain_event_id: 'E9' }, { auth_app_id: '2021000100000101' }))).toMatchObject({
      kind: 'complaint.changed',
      complaintId: 'E9',
      subMerchant: '2021000100000101',
    });
  });

  it('refuses a forged message, another app’s, and one naming no complaint', () => {
    expect(reasonOf(() => verify(message({ complain_event_id: 'E1' }), rsaKeyPair().privateKey))).toBe(
      'BAD_SIGNATURE',
    );
    expect(reasonOf(() => verify(message({ complain_event_id: 'E1' }, { app_id: '2019000000000000' })))).toBe(
      'WRONG_MERCHANT',
    );
    expect(reasonOf(() => verify(message({ status: 'x' })))).toBe('MALFORMED');
  });
});
