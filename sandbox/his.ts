/**
 * The sandbox's HIS receiver: a stand-in for a hospital system that medpay sends signed callbacks to
 * (register `<sandboxUrl>/sandbox/his/<name>` as a notification endpoint). It records what arrives (the
 * medpay headers and the body) and can be told to fail the next few, to watch medpay retry. It does not
 * check signatures: it does not know the endpoint's secret; the README's check is the HIS's job.
 */

/** One callback as it arrived. */
export interface HisCallback {
  readonly name: string;
  readonly receivedAt: string;
  readonly answered: number;
  readonly eventId?: string;
  readonly eventType?: string;
  readonly signature?: string;
  readonly body: string;
}

/** The most callbacks kept (newest first). */
const KEEP = 200;

/** Creates the receiver's state. */
export function hisReceiver() {
  const received: HisCallback[] = [];
  const failures = new Map<string, number>();
  return {
    /** Records a callback to `name`; answers 500 while failures are owed, else 200. */
    receive(name: string, headers: Record<string, string | string[] | undefined>, body: string): number {
      const owed = failures.get(name) ?? 0;
      if (owed > 0) failures.set(name, owed - 1);
      const answered = owed > 0 ? 500 : 200;
      const one = (h: string) => (typeof headers[h] === 'string' ? headers[h] : undefined);
      received.unshift({
        name,
        receivedAt: new Date().toISOString(),
        answered,
        eventId: one('medpay-event-id'),
        eventType: one('medpay-event-type'),
        signature: one('medpay-signature'),
        body: body.slice(0, 4_096),
      });
      received.length = Math.min(received.length, KEEP);
      return answered;
    },
    /** The next `times` callbacks to `name` are answered 500. */
    failNext(name: string, times: number) {
      failures.set(name, times);
    },
    received: (): readonly HisCallback[] => received,
  };
}
