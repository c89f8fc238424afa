/**
 * The patient's phone showing a payment code (付款码), as the sandbox plays it: codes issued in each wallet's
 * published format (WeChat: 18 digits from 10–15; Alipay: 16–24 digits from 25–30; PROTOCOLS §2.1), each
 * usable once (WXC2; A11), valid for a minute or so (B3 §6: a code refreshes every minute). A code may need a
 * password (the wallet's USERPAYING / 10003), which the patient enters later, or never. Never deployed.
 */
import { randomInt } from 'node:crypto';
import type { Books, Channel, Order } from './books';

/** What a code does when scanned: pays, waits for a password, or is refused (expired, used). */
export const CODE_KINDS = ['valid', 'password', 'expired', 'used'] as const;
export type CodeKind = (typeof CODE_KINDS)[number];

/** One code on the phone. */
export interface IssuedCode {
  readonly channel: Channel;
  readonly kind: CodeKind;
  /** The wallet user who shows it (openid or Alipay user id): the payer of what it pays. */
  readonly payer: string;
  readonly expiresAt: Date;
  /** A password code: the patient enters it after this many ms (absent: only when told to). */
  readonly passwordAfterMs?: number;
  /** The order it paid (or is paying): a code pays one order. */
  usedFor?: string;
}

/** How long a code shown on the phone is accepted (the sandbox's choice: real codes refresh every minute). */
export const CODE_LIFETIME_MS = 120_000;

/** The sandbox's payers by wallet when the test names none. */
const DEFAULT_PAYERS: Readonly<Record<Channel, string>> = {
  wechatpay: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
  alipay: '2088102122524333',
};

/** The wallet's answer to a scanned code for an order. */
export type ScanOutcome =
  | { readonly kind: 'paid' }
  | { readonly kind: 'paying' }
  | { readonly kind: 'refused'; readonly reason: 'invalid' | 'expired' | 'used' };

/** The codes and what scanning one does; `onPassword` pays an order whose code's password was entered. */
export function paymentCodes(books: Books, onPassword: (order: Order) => void) {
  const codes = new Map<string, IssuedCode>();
  const digits = (n: number) => Array.from({ length: n }, () => String(randomInt(10))).join('');

  /** Issues a code; an `expired` one is already past its minute, a `used` one has paid before. */
  function issue(input: {
    channel: Channel;
    kind?: CodeKind;
    payer?: string;
    passwordAfterMs?: number;
    /** How long the code is accepted (default CODE_LIFETIME_MS; a benchmark issuing its codes ahead asks longer). */
    lifetimeMs?: number;
  }) {
    const kind = input.kind ?? 'valid';
    const code = input.channel === 'wechatpay' ? `13${digits(16)}` : `28${digits(16)}`;
    const issued: IssuedCode = {
      channel: input.channel,
      kind,
      payer: input.payer ?? DEFAULT_PAYERS[input.channel],
      expiresAt: new Date(
        Date.now() + (kind === 'expired' ? -1_000 : (input.lifetimeMs ?? CODE_LIFETIME_MS)),
      ),
      ...(input.passwordAfterMs !== undefined ? { passwordAfterMs: input.passwordAfterMs } : {}),
      ...(kind === 'used' ? { usedFor: 'an earlier purchase' } : {}),
    };
    codes.set(code, issued);
    return { authCode: code, ...issued };
  }

  /**
   * Scans `code` for `order` (an order repeated with the same out_trade_no and code is the same payment). The
   * order becomes the code's: PAID, or PAYING until the password (entered after passwordAfterMs, if set).
   */
  function scan(channel: Channel, code: string, order: Order): ScanOutcome {
    const issued = codes.get(code);
    if (!issued || issued.channel !== channel) return { kind: 'refused', reason: 'invalid' };
    if (issued.usedFor === order.outTradeNo)
      return order.status === 'PAID' ? { kind: 'paid' } : { kind: 'paying' };
    if (issued.usedFor !== undefined) return { kind: 'refused', reason: 'used' };
    if (issued.expiresAt.getTime() < Date.now()) return { kind: 'refused', reason: 'expired' };
    issued.usedFor = order.outTradeNo;
    order.payer = issued.payer;
    if (issued.kind !== 'password') {
      books.markPaid(order);
      return { kind: 'paid' };
    }
    order.status = 'PAYING';
    if (issued.passwordAfterMs !== undefined) {
      const t = setTimeout(() => {
        books.timers.delete(t);
        if (order.status === 'PAYING') onPassword(order);
      }, issued.passwordAfterMs);
      t.unref();
      books.timers.add(t);
    }
    return { kind: 'paying' };
  }

  return { codes, issue, scan };
}

/** One sandbox's payment codes. */
export type PaymentCodes = ReturnType<typeof paymentCodes>;
