/**
 * The wallets' cashier in a phone's browser, as the sandbox plays it: WeChat Pay's H5 page (checkmweb) and
 * Alipay's wap.pay page. The payer (a family member, say) confirms with their own wallet account and pays;
 * the provider notifies medpay and sends the browser back (redirect_url / return_url). Never deployed.
 */
import { formatYuan, type Fen } from '../lib/domain/money';
import type { Order } from './books';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const yuan = (f: Fen) => `¥${formatYuan(f)}`;
const WALLET = { alipay: '支付宝 · Alipay', wechatpay: '微信支付 · WeChat Pay' } as const;
/** The wallet user the page pays as unless changed: a family member of the sandbox's patient. */
export const FAMILY_PAYER = {
  alipay: '2088000000009999',
  wechatpay: 'oFamilyMemberOfThePatient0001',
} as const;

/** The cashier page for `order`; `back`: where the browser goes once paid. */
export function h5CashierPage(order: Order, back: string | undefined): string {
  const paid = order.status === 'PAID';
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>${WALLET[order.channel]} 收银台 (sandbox)</title>
<style>*{box-sizing:border-box}body{font-family:system-ui,"PingFang SC","Noto Sans CJK SC",sans-serif;margin:0;background:${order.channel === 'alipay' ? '#1677ff' : '#07c160'};color:#111}
main{max-width:480px;margin:0 auto;padding:28px 16px}.card{background:#fff;border-radius:14px;padding:20px}
h1{font-size:16px;margin:0;color:#6b7280}.amount{font-size:36px;font-weight:700;margin:12px 0}.desc{overflow-wrap:anywhere}
label{display:block;font-size:13px;color:#374151;margin-top:16px}input{width:100%;font-size:16px;padding:10px;border:1px solid #d1d5db;border-radius:8px}
button{width:100%;margin-top:18px;font-size:18px;padding:14px;border:0;border-radius:10px;background:#111;color:#fff}.note{font-size:12px;color:#6b7280;margin-top:12px}</style>
</head><body><main><div class="card"><h1>${WALLET[order.channel]} · 沙盒收银台 sandbox cashier</h1>
<div class="amount">${yuan(order.amountFen)}</div><div class="desc">${escape(order.description)}</div>
${
  paid
    ? '<p role="status">已支付 · Paid</p>'
    : `<form method="post" action="/sandbox/h5-pay"><input type="hidden" name="channel" value="${order.channel}">
<input type="hidden" name="outTradeNo" value="${escape(order.outTradeNo)}"><input type="hidden" name="back" value="${escape(back ?? '')}">
<label for="payer">付款人 · Paying as (wallet user)</label><input id="payer" name="payer" value="${FAMILY_PAYER[order.channel]}" autocomplete="off">
<button type="submit">确认支付 · Pay ${yuan(order.amountFen)}</button></form>`
}
<p class="note">The sandbox plays the wallet: paying here notifies medpay as the provider would.</p></div></main></body></html>`;
}
