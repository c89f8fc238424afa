/**
 * Alipay 交易投诉 as a ComplaintDesk, from the official SDK's models (alipay-sdk-java-all
 * AlipayMerchantTradecomplainQueryResponse, …ReplySubmitModel, …FeedbackSubmitRequest, …BatchqueryModel;
 * opendocs.alipay.com/open/035o4f; tests/conformance facts C7–C10):
 *   - alipay.merchant.tradecomplain.query {complain_event_id}: complain_event_id, status, trade_no,
 *     merchant_order_no, gmt_create, complain_reason, content, leaf_category_name, trade_amount (yuan);
 *     status MERCHANT_PROCESSING | MERCHANT_FEEDBACKED | FINISHED | CANCELLED | PLATFORM_PROCESSING |
 *     PLATFORM_FINISH | CLOSED;
 *   - alipay.merchant.tradecomplain.reply.submit {complain_event_id, reply_content}: 商家留言回复;
 *   - alipay.merchant.tradecomplain.feedback.submit {complain_event_id, feedback_code, feedback_content ≤ 200,
 *     operator ≤ 6}: 商家处理交易投诉, feedback_code 00 使用体验保障金退款, 02 通过其他方式退款, 03 已发货,
 *     04 其他, 05 已完成售后服务, 06 非我方责任范围. A refund medpay made (alipay.trade.refund) is 02; a complaint
 *     answered without one is 05.
 * Alipay has no step for agreeing a refund before making it. phone_no is never read.
 */
import { NotFoundError, ProviderUnavailableError, ValidationError } from '../../domain/errors';
import { parseYuan } from '../../domain/money';
import type { ComplaintDesk, ProviderComplaint } from '../../ports/complaint-desk';
import { alipayOk, type AlipayClient, type AlipayResult } from './client';
import { parseAlipayTime } from './notification';

/** The statuses after which Alipay holds a complaint ended. */
const ENDED = new Set(['FINISHED', 'CANCELLED', 'PLATFORM_FINISH', 'CLOSED']);

/** feedback_code: refunded by the merchant's own refund, or the after-sales service done. */
export const FEEDBACK_REFUNDED = '02';
export const FEEDBACK_SERVED = '05';

/** The longest feedback_content Alipay takes. */
const FEEDBACK_MAX = 200;

/** A tradecomplain.query answer in medpay's terms; throws on an answer missing what medpay compares. */
export function alipayComplaint(r: AlipayResult): ProviderComplaint {
  const openedAt = parseAlipayTime(r.gmt_create);
  if (!r.complain_event_id || !r.status || !openedAt)
    throw new Error('complain_event_id, status or gmt_create missing');
  const detail = [r.complain_reason, r.content].filter((v): v is string => typeof v === 'string' && v !== '');
  return {
    complaintId: r.complain_event_id,
    state: r.status,
    ended: ENDED.has(r.status),
    awaitingMerchant: r.status === 'MERCHANT_PROCESSING',
    description: detail.join(' — ') || '(no description)',
    openedAt,
    complaintTimes: 1,
    ...(r.leaf_category_name ? { problemType: r.leaf_category_name } : {}),
    orders: r.merchant_order_no
      ? [
          {
            outTradeNo: r.merchant_order_no,
            ...(r.trade_no ? { providerTradeNo: r.trade_no } : {}),
            amountFen: parseYuan(r.trade_amount ?? ''),
          },
        ]
      : [],
  };
}

/** The complaint desk of the merchant `client` acts for. */
export function alipayComplaintDesk(client: AlipayClient): ComplaintDesk {
  /** Sends one step; a refusal is shown to staff as a 400 naming Alipay's sub_code. */
  async function submit(method: string, biz: Record<string, unknown>) {
    const r = await client.exec(method, biz);
    if (!alipayOk(r))
      throw new ValidationError(
        `Alipay refused ${method}: ${r.sub_code ?? r.code} ${r.sub_msg ?? ''}`.trim(),
        [{ path: 'body', message: r.sub_code ?? r.code ?? 'refused' }],
      );
  }
  return {
    async fetch(complaintId) {
      const r = await client.exec('alipay.merchant.tradecomplain.query', { complain_event_id: complaintId });
      if (!alipayOk(r)) {
        if (r.code === '40004') throw new NotFoundError('Alipay complaint', complaintId);
        throw new ProviderUnavailableError(`Alipay complaint query failed: ${r.sub_code ?? r.code}.`, {
          channel: 'alipay',
        });
      }
      try {
        return alipayComplaint(r);
      } catch (error) {
        throw new ProviderUnavailableError(`Alipay complaint ${complaintId}: ${(error as Error).message}.`, {
          channel: 'alipay',
        });
      }
    },
    reply: (complaintId, text) =>
      submit('alipay.merchant.tradecomplain.reply.submit', {
        complain_event_id: complaintId,
        reply_content: text,
      }),
    approveRefund: () => Promise.resolve(),
    complete: (complaintId, { refunded, note }) =>
      submit('alipay.merchant.tradecomplain.feedback.submit', {
        complain_event_id: complaintId,
        feedback_code: refunded ? FEEDBACK_REFUNDED : FEEDBACK_SERVED,
        feedback_content: note.slice(0, FEEDBACK_MAX),
      }),
  };
}
