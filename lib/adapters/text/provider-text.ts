/**
 * Free text (a HIS description) made acceptable to a provider before it is sent. The HIS
 * writes descriptions unrestricted; each provider documents what it takes:
 *   - Alipay `subject` (alipay.trade.create / precreate / pay): String, at most 256, "不可使用特殊字符，如 /，=，&
 *     等" (help.aliyun.com/document_detail/2978207, 业务请求参数 subject). Those three become their full-width
 *     forms (／ ＝ ＆), which read the same to finance.
 *   - WeChat Pay `description`: 必填 string(127), "不能超过127个字符" (JSAPI/小程序下单,
 *     pay.weixin.qq.com/docs/merchant/products/mini-program-payment/apilist.html; Native takes the same).
 * Both are one-line titles, so line breaks, tabs and other control characters become one space (medpay's own
 * rule, not a provider's: a title has no lines). Lengths count Unicode code points, so a 4-byte character is
 * never cut in half; an empty result becomes `fallback`.
 */

/** What a provider accepts in one text field. */
export interface TextRule {
  readonly maxChars: number;
  /** Characters the provider refuses, each mapped to what is sent instead. */
  readonly replace?: Readonly<Record<string, string>>;
}

/** Alipay `subject`. */
export const ALIPAY_SUBJECT: TextRule = { maxChars: 256, replace: { '/': '／', '=': '＝', '&': '＆' } };
/** WeChat Pay `description`. */
export const WECHAT_DESCRIPTION: TextRule = { maxChars: 127 };

// C0 and C1 controls, DEL, and the Unicode line and paragraph separators.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/gu;

/** `text` as `rule` allows it: controls to one space, refused characters replaced, cut to `maxChars` code points. */
export function providerText(text: string, rule: TextRule, fallback = '医疗费用'): string {
  let out = text.replace(CONTROL, ' ');
  for (const [from, to] of Object.entries(rule.replace ?? {})) out = out.split(from).join(to);
  out = Array.from(out.trim()).slice(0, rule.maxChars).join('').trim();
  return out === '' ? fallback : out;
}
