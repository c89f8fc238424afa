/** Business days are calendar days in Asia/Shanghai (UTC+8, no daylight saving). */
import { ValidationError } from './errors';

const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A business day as `yyyy-mm-dd`. */
export type BusinessDay = string & { readonly __businessDay: true };

/** The Asia/Shanghai business day that contains the instant `at`. */
export function businessDayOf(at: Date): BusinessDay {
  return new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10) as BusinessDay;
}

/** Validates a `yyyy-mm-dd` string as a real calendar day. */
export function parseBusinessDay(value: string, field = 'date'): BusinessDay {
  const m = DAY_PATTERN.exec(value);
  const date = m ? new Date(`${value}T00:00:00Z`) : undefined;
  if (!date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    throw new ValidationError(`${field} must be a calendar day as yyyy-mm-dd.`, [
      { path: field, message: `not a valid day: ${JSON.stringify(value)}` },
    ]);
  }
  return value as BusinessDay;
}

/** The half-open UTC interval [start, end) covered by a business day. */
export function businessDayBounds(day: BusinessDay): { start: Date; end: Date } {
  const start = new Date(new Date(`${day}T00:00:00Z`).getTime() - SHANGHAI_OFFSET_MS);
  return { start, end: new Date(start.getTime() + 24 * 60 * 60 * 1000) };
}

/** Formats an instant as `yyyy-MM-dd HH:mm:ss` in Asia/Shanghai (Alipay's and the statements' format). */
export function toShanghaiDateTime(at: Date): string {
  return new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/** Formats an instant as ISO-8601 with the +08:00 offset, as the API and statements show times. */
export function toShanghaiIso(at: Date): string {
  return new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().replace('Z', '+08:00');
}

/** The business day `n` days after `day` (before, for a negative `n`). */
export function addDays(day: BusinessDay, n: number): BusinessDay {
  return new Date(new Date(`${day}T00:00:00Z`).getTime() + n * 86_400_000)
    .toISOString()
    .slice(0, 10) as BusinessDay;
}
