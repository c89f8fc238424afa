/** A visit test environment: DynamoDB Local + the sandbox over real HTTP, with notifications applied. */
import { fen } from '../../lib/domain/money';
import type { AppDeps } from '../../lib/config/container';
import { businessDayOf } from '../../lib/domain/business-day';
import { netOf as netOfPostings, type JournalTransaction } from '../../lib/domain/ledger/journal';
import type { Channel } from '../../lib/domain/ledger/accounts';
import { applyProviderEvent } from '../../lib/usecases/notifications';
import { openVisit } from '../../lib/usecases/visits/open';
import { testDeps } from './dynamo';
import { notificationReceiver, sandboxWithProviders } from './sandbox';

/** Starts the sandbox and a receiver that verifies and applies every notification with `deps`. */
export async function visitEnv(overrides: Partial<AppDeps> = {}) {
  const holder: { deps?: AppDeps } = {};
  const receiver = await notificationReceiver(async (channel, n) => {
    try {
      const d = holder.deps as AppDeps;
      await applyProviderEvent(d, await d.providers[channel as Channel]!.verifyNotification(n));
      return { status: channel === 'alipay' ? 200 : 204, body: channel === 'alipay' ? 'success' : '' };
    } catch (error) {
      return { status: 500, body: String(error) };
    }
  });
  const env = await sandboxWithProviders(receiver.url);
  const deps = await testDeps({
    providers: env.providers,
    bills: env.bills,
    credit: env.credit,
    insurance: { ...env.insurance, defaultMedicalType: '11' },
    visits: {
      creditLimitFen: fen(100_000),
      authoriseWithinMinutes: 30,
      autoSettleAtMinute: 20 * 60,
      captureRetryDelaysMs: [3_600_000, 6 * 3_600_000, 24 * 3_600_000, 72 * 3_600_000],
      recheckAfterMs: 300_000,
    },
    ...overrides,
  });
  holder.deps = deps;

  /** Every journal transaction of today whose refs name this visit. */
  async function journalOf(visitId: string): Promise<JournalTransaction[]> {
    const out: JournalTransaction[] = [];
    for await (const t of deps.ledger.journalForDay(businessDayOf(new Date())))
      if (t.refs.visitId === visitId) out.push(t);
    return out;
  }
  /** The sandbox patient confirms the authorisation (Alipay needs the order string the app submits). */
  async function authorise(channel: Channel, outOrderNo: string, clientParams: Record<string, unknown>) {
    const res = await fetch(`${env.sandbox.url}/sandbox/authorise`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ channel, outOrderNo, orderStr: clientParams.orderStr }),
    });
    return (await res.json()) as { status: string; notification: { responseStatus: number } };
  }
  let patients = 0;
  /** Opens a visit for a fresh patient and confirms it in the sandbox (the notification is applied). */
  async function authorisedVisit(channel: Channel, insured = true) {
    const patientId = `PV${Date.now()}${patients++}`;
    const payer =
      channel === 'alipay'
        ? { alipayUserId: `2088${patientId.padStart(12, '0').slice(-12)}` }
        : { wechatOpenId: `o-${patientId}` };
    const { visit, clientParams } = await openVisit(deps, { patientId, channel, payer, insured });
    const confirmed = await authorise(channel, visit.outOrderNo, clientParams);
    if (confirmed.notification.responseStatus >= 300) throw new Error('the authorisation was not applied');
    return { visitId: visit.visitId, patientId, outOrderNo: visit.outOrderNo, payer };
  }
  return {
    deps,
    env,
    /** Where the sandbox's notifications go (`/webhooks/<channel>` are applied with `deps`). */
    notifyBase: receiver.url,
    journalOf,
    authorise,
    authorisedVisit,
    close: async () => {
      await env.sandbox.close();
      await receiver.close();
    },
  };
}

/** Net of an account over a list of transactions (debits − credits). */
export function netOf(txns: readonly JournalTransaction[], account: string): number {
  return netOfPostings(txns.flatMap((t) => t.postings.filter((p) => p.account === account)));
}
