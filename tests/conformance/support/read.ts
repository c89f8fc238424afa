/** Small helpers shared by the conformance cases. */
import type { BillLine } from '../../../lib/domain/finance';
import { NotificationRejectedError } from '../../../lib/domain/errors';

/** Every line of a parsed bill (the parser is lazy: errors surface while reading). */
export async function readAll(lines: AsyncIterable<BillLine>): Promise<BillLine[]> {
  const out: BillLine[] = [];
  for await (const l of lines) out.push(l);
  return out;
}

/** The rejection reason of a verification, or 'accepted'. */
export function reasonOf(verify: () => unknown): string {
  try {
    verify();
  } catch (error) {
    if (error instanceof NotificationRejectedError) return error.reason;
    throw error;
  }
  return 'accepted';
}
