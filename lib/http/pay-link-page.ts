/**
 * The page a payment link opens (GET /pay/{hospitalId}/{token}), for a phone's browser: what is to be paid,
 * in yuan from integer fen, where it stands, and one button that takes the payer to the wallet. It names
 * no patient: the link may be forwarded to anyone.
 */
import { formatYuan, type Fen } from '../domain/money';
import type { Payment } from '../domain/payment';

const WALLET = { alipay: '支付宝 Alipay', wechatpay: '微信支付 WeChat Pay' } as const;

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const yuan = (f: Fen) => `¥${formatYuan(f)}`;

/** What the page says of a payment in each state. */
function stateLine(payment: Payment, payable: boolean): { text: string; badge: string } {
  if (payment.status === 'PAID' || payment.status === 'PARTIALLY_REFUNDED' || payment.status === 'REFUNDED')
    return { text: '已支付 · Paid. Thank you.', badge: 'paid' };
  if (payable) return { text: '待支付 · Waiting to be paid', badge: 'pending' };
  return { text: '已关闭 · This link can no longer be paid.', badge: 'closed' };
}

/** The link's page; `payable`: the Pay button is shown (PENDING and not expired). */
export function payLinkPage(payment: Payment, payable: boolean): string {
  const { text, badge } = stateLine(payment, payable);
  const refresh = payable ? '<meta http-equiv="refresh" content="5">' : '';
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">${refresh}
<title>医院缴费 · Pay for a hospital visit</title>
<style>
*{box-sizing:border-box}body{font-family:system-ui,-apple-system,"PingFang SC","Noto Sans CJK SC",sans-serif;margin:0;background:#f3f4f6;color:#111}
main{max-width:480px;margin:0 auto;padding:24px 16px}
.card{background:#fff;border-radius:14px;padding:20px;box-shadow:0 1px 2px rgba(0,0,0,.06)}
h1{font-size:17px;margin:0 0 6px;overflow-wrap:anywhere}.amount{font-size:34px;font-weight:700;margin:10px 0}
.meta{font-size:13px;color:#6b7280}.state{display:inline-block;margin-top:12px;border-radius:999px;padding:3px 10px;font-size:14px}
.pending{background:#fef3c7;color:#92400e}.paid{background:#d1fae5;color:#065f46}.closed{background:#e5e7eb;color:#374151}
button{width:100%;margin-top:20px;font-size:18px;padding:14px;border:0;border-radius:10px;background:#0b6b4f;color:#fff}
</style></head><body><main><div class="card">
<h1>${escape(payment.description)}</h1>
<div class="amount">${yuan(payment.amountFen)}</div>
<div class="meta">${WALLET[payment.channel]} · ${escape(payment.outTradeNo)}</div>
<div class="state ${badge}" role="status">${text}</div>
${payable ? `<form method="post"><button type="submit">支付 ${yuan(payment.amountFen)} · ${WALLET[payment.channel]}</button></form>` : ''}
</div></main></body></html>`;
}
