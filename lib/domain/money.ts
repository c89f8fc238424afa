/** Money as integer fen (1 yuan = 100 fen), with exact yuan-string conversion and no floats. */
import { ValidationError } from './errors';

declare const fenBrand: unique symbol;
/** A non-negative, safe-integer amount of fen. Build it with `fen()` or `parseYuan()`. */
export type Fen = number & { readonly [fenBrand]: true };

/** The only currency medpay handles; it is still stored beside every amount. */
export const CURRENCY = 'CNY' as const;
export type Currency = typeof CURRENCY;

/** True when `value` is a valid fen amount: a safe integer, zero or more. */
export function isFen(value: unknown): value is Fen {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** Checks and brands an amount of fen; throws ValidationError for floats, negatives or unsafe integers. */
export function fen(value: number, field = 'amountFen'): Fen {
  if (!isFen(value)) {
    throw new ValidationError(`${field} must be a whole number of fen, zero or more.`, [
      { path: field, message: 'expected a non-negative safe integer' },
    ]);
  }
  return value;
}

/** Adds amounts of fen, refusing to leave the safe-integer range. */
export function addFen(...amounts: Fen[]): Fen {
  let total = 0;
  for (const a of amounts) total += a;
  return fen(total, 'total');
}

/** Subtracts `b` from `a`; throws if the result would be negative. */
export function subtractFen(a: Fen, b: Fen): Fen {
  return fen(a - b, 'difference');
}

const YUAN_PATTERN = /^(0|[1-9]\d*)(?:\.(\d{1,2}))?$/;

/** Parses a provider's yuan string ("12.34", "12.3", "12") into fen exactly, without floats. */
export function parseYuan(yuan: string, field = 'amount'): Fen {
  const match = YUAN_PATTERN.exec(yuan.trim());
  if (!match) {
    throw new ValidationError(`${field} must be a yuan amount such as "12.34".`, [
      { path: field, message: `not a yuan amount: ${JSON.stringify(yuan)}` },
    ]);
  }
  const whole = match[1] ?? '0';
  const decimals = (match[2] ?? '').padEnd(2, '0');
  // Concatenate digit strings so no binary fraction ever exists.
  return fen(Number(BigInt(whole) * 100n + BigInt(decimals)), field);
}

/** Formats fen as a yuan string with exactly two decimals ("12.30"), as Alipay and the bills expect. */
export function formatYuan(amount: Fen): string {
  const value = BigInt(fen(amount));
  return `${value / 100n}.${(value % 100n).toString().padStart(2, '0')}`;
}

/** Formats a signed whole number of fen as yuan (refunds and fees shown as negatives). */
export function formatSignedYuan(amount: number): string {
  return amount < 0 ? `-${formatYuan(-amount as Fen)}` : formatYuan(amount as Fen);
}
