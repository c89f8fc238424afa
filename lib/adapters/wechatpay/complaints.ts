/**
 * WeChat Pay 消费者投诉 2.0 as a ComplaintDesk. Every field from the published API (the merchant and partner
 * references, pay.weixin.qq.com/docs/merchant/apis/consumer-complaint/…, the same paths for both; the field
 * tables also in wechatpay-im/website openapi/v3/merchant-service/complaints-v2/…; tests/conformance facts C1–C6):
 *   - GET /v3/merchant-service/complaints-v2/{complaint_id} (query-complaint-v2): complaint_id, complaint_time
 *     RFC 3339, complaint_detail, complaint_state PENDING | PROCESSING | PROCESSED, complainted_mchid,
 *     complaint_order_info[].{transaction_id, out_trade_no, amount (fen)}, user_complaint_times,
 *     problem_description, problem_type REFUND | SERVICE_NOT_WORK | OTHERS, apply_refund_amount (fen);
 *   - POST …/{complaint_id}/response {complainted_mchid, response_content ≤ 500}: 204;
 *   - POST …/{complaint_id}/complete {complainted_mchid}: 204;
 *   - POST …/{complaint_id}/update-refund-progress {action APPROVE | REJECT, launch_refund_day, remark}: 204
 *     ("同意退款后,需要额外调退款接口发起原路退款"; only for a complaint whose problem_type is REFUND).
 * payer_phone is encrypted for the merchant and never read: medpay keeps no phone number.
 */
import { NotFoundError, ProviderUnavailableError, ValidationError } from '../../domain/errors';
import { fen } from '../../domain/money';
import type { ComplaintDesk, ComplaintOrder, ProviderComplaint } from '../../ports/complaint-desk';
import { parseWechatTime, wechatFailed, type WechatApi, type WechatJson } from './client';

/** The complaint states after which WeChat holds the complaint ended. */
const ENDED = new Set(['PROCESSED']);

/** The longest response_content WeChat takes. */
const RESPONSE_MAX = 500;

/** A complaint detail in medpay's terms; throws on a detail missing what medpay compares. */
export function wechatComplaint(d: WechatJson): ProviderComplaint {
  const openedAt = parseWechatTime(d.complaint_time);
  if (typeof d.complaint_id !== 'string' || typeof d.complaint_state !== 'string' || !openedAt)
    throw new Error('complaint_id, complaint_state or complaint_time missing');
  const orders: ComplaintOrder[] = (Array.isArray(d.complaint_order_info) ? d.complaint_order_info : []).map(
    (o: WechatJson) => {
      if (typeof o.out_trade_no !== 'string' || !Number.isSafeInteger(o.amount))
        throw new Error('complaint_order_info without out_trade_no or amount');
      return {
        outTradeNo: o.out_trade_no,
        ...(typeof o.transaction_id === 'string' ? { providerTradeNo: o.transaction_id } : {}),
        amountFen: fen(o.amount as number),
      };
    },
  );
  const detail = [d.problem_description, d.complaint_detail].filter((v) => typeof v === 'string' && v);
  return {
    complaintId: d.complaint_id,
    ...(typeof d.complainted_mchid === 'string' ? { merchantId: d.complainted_mchid } : {}),
    state: d.complaint_state,
    ended: ENDED.has(d.complaint_state),
    // "首次回复用户后,投诉单状态将由待处理更新为处理中": PENDING waits on the merchant.
    awaitingMerchant: d.complaint_state === 'PENDING',
    description: detail.join(' — ') || '(no description)',
    openedAt,
    complaintTimes: Number.isSafeInteger(d.user_complaint_times) ? (d.user_complaint_times as number) : 1,
    ...(typeof d.problem_type === 'string' ? { problemType: d.problem_type } : {}),
    ...(Number.isSafeInteger(d.apply_refund_amount) && (d.apply_refund_amount as number) > 0
      ? { requestedRefundFen: fen(d.apply_refund_amount as number) }
      : {}),
    orders,
  };
}

/** The complaint desk of `merchantId` (the merchant's mchid, or the hospital's sub_mchid in partner mode). */
export function wechatComplaintDesk(call: WechatApi, merchantId: string): ComplaintDesk {
  const path = (id: string, action = '') =>
    `/v3/merchant-service/complaints-v2/${encodeURIComponent(id)}${action}`;
  /** Posts one step; a refusal is shown to staff as a 400 naming WeChat's code. */
  async function post(operation: string, complaintId: string, action: string, body: object) {
    const r = await call(operation, 'POST', path(complaintId, action), body);
    if (wechatFailed(r))
      throw new ValidationError(
        `WeChat Pay refused ${operation}: ${r.code ?? r.status} ${r.message ?? ''}`.trim(),
        [{ path: 'body', message: r.code ?? String(r.status) }],
      );
  }
  return {
    merchantId,
    async fetch(complaintId) {
      const r = await call('queryComplaint', 'GET', path(complaintId));
      if (wechatFailed(r)) {
        if (r.status === 404 || r.code === 'RESOURCE_NOT_EXISTS')
          throw new NotFoundError('WeChat Pay complaint', complaintId);
        throw new ProviderUnavailableError(`WeChat Pay complaint query failed: ${r.code ?? r.status}.`, {
          channel: 'wechatpay',
        });
      }
      try {
        return wechatComplaint(r.data);
      } catch (error) {
        throw new ProviderUnavailableError(
          `WeChat Pay complaint ${complaintId}: ${(error as Error).message}.`,
          {
            channel: 'wechatpay',
          },
        );
      }
    },
    reply: (complaintId, text) =>
      post('replyComplaint', complaintId, '/response', {
        complainted_mchid: merchantId,
        response_content: text.slice(0, RESPONSE_MAX),
      }),
    async approveRefund({ complaintId, problemType }) {
      if (problemType !== 'REFUND') return;
      // launch_refund_day: days until the refund is made; medpay makes it at once.
      await post('approveComplaintRefund', complaintId, '/update-refund-progress', {
        action: 'APPROVE',
        launch_refund_day: 0,
      });
    },
    complete: (complaintId) =>
      post('completeComplaint', complaintId, '/complete', { complainted_mchid: merchantId }),
  };
}
