/**
 * Bills survive any text: payments whose descriptions hold a comma, CR/LF, a backtick, a double quote, `#`, `=`
 * and 4-byte characters are paid in the sandbox, the day's bill is read back raw to see the text as the
 * provider writes it, and reconciliation matches every line with no discrepancy, on both channels.
 */
import { gunzipSync, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { businessDayOf } from '../../../../lib/domain/business-day';
import type { Channel } from '../../../../lib/domain/ledger/accounts';
import { fen } from '../../../../lib/domain/money';
import { reconcile } from '../../../../lib/usecases/finance/reconcile';
import { createPayment } from '../../../../lib/usecases/payments/create';
import { csvCells } from '../../../support/csv';
import { visitEnv } from '../../../support/visit-env';

/** Each description as the HIS sends it, and as each provider receives (and so bills) it. */
const TEXTS: { his: string; alipay: string; wechatpay: string }[] = [
  { his: 'CT 检查, 胸部', alipay: 'CT 检查, 胸部', wechatpay: 'CT 检查, 胸部' },
  { his: '血常规\r\n尿常规', alipay: '血常规 尿常规', wechatpay: '血常规 尿常规' },
  { his: '处方 `A-1` 号', alipay: '处方 `A-1` 号', wechatpay: '处方 `A-1` 号' },
  { his: '"特需"门诊', alipay: '"特需"门诊', wechatpay: '"特需"门诊' },
  { his: '#1 =SUM(A1)', alipay: '#1 ＝SUM(A1)', wechatpay: '#1 =SUM(A1)' },
  { his: '𠮷野 🏥 挂号', alipay: '𠮷野 🏥 挂号', wechatpay: '𠮷野 🏥 挂号' },
  { his: '`,"\n#=😀 a/b&c', alipay: '`," #＝😀 a／b＆c', wechatpay: '`," #=😀 a/b&c' },
];

describe('bills with any text in the descriptions', () => {
  let t: Awaited<ReturnType<typeof visitEnv>>;
  const today = businessDayOf(new Date());
  const paid: Record<Channel, string[]> = { alipay: [], wechatpay: [] };

  beforeAll(async () => {
    t = await visitEnv();
    for (const channel of ['alipay', 'wechatpay'] as const)
      for (const [i, text] of TEXTS.entries()) {
        const { payment } = await createPayment(t.deps, {
          patientId: 'PTEXT',
          channel,
          purpose: 'examination',
          referenceId: `HIS-TEXT-${i}`,
          amountFen: fen(1_000 + i),
          description: text.his,
          payer: channel === 'alipay' ? { alipayUserId: '2088102122524333' } : { wechatOpenId: 'o-text' },
          mode: 'mini-program',
        });
        const res = await fetch(`${t.env.sandbox.url}/sandbox/pay`, {
          method: 'POST',
          body: JSON.stringify({ channel, outTradeNo: payment.outTradeNo }),
        });
        expect(res.status).toBe(200);
        paid[channel].push(payment.outTradeNo);
      }
  });
  afterAll(() => t.close());

  /** The bill's rows as cells, read with the tests' own RFC 4180 reader. */
  async function rawBill(channel: Channel): Promise<{ header: string[]; rows: string[][] }> {
    const bytes = new Uint8Array(
      await (await fetch(`${t.env.sandbox.url}/sandbox/bills/${channel}/${today}`)).arrayBuffer(),
    );
    if (channel === 'wechatpay') {
      const cells = csvCells(new TextDecoder('utf-8').decode(gunzipSync(bytes)));
      return {
        header: cells[0] as string[],
        rows: cells.slice(1).map((r) => r.map((c) => c.replace(/^`/, ''))),
      };
    }
    const entries = unzipSync(bytes);
    const detail = Object.entries(entries).find(([name]) => name.endsWith('.csv') && !name.includes('('));
    const text = new TextDecoder('gb18030').decode((detail ?? Object.values(entries))[1]);
    const cells = csvCells(text).filter((r) => !r[0]?.startsWith('#'));
    return {
      header: (cells[0] as string[]).map((c) => c.trim()),
      rows: cells.slice(1).map((r) => r.map((c) => c.replace(/\t$/, ''))),
    };
  }

  for (const channel of ['alipay', 'wechatpay'] as const) {
    it(`${channel}: the bill holds each description as the provider received it`, async () => {
      const { header, rows } = await rawBill(channel);
      const trade = header.indexOf('商户订单号');
      const name = header.indexOf('商品名称');
      expect(trade).toBeGreaterThanOrEqual(0);
      expect(name).toBeGreaterThanOrEqual(0);
      for (const [i, outTradeNo] of paid[channel].entries()) {
        const row = rows.find((r) => r[trade] === outTradeNo);
        expect(row?.[name], outTradeNo).toBe(TEXTS[i]?.[channel]);
      }
    });

    it(`${channel}: reconciliation matches every line, with no discrepancy`, async () => {
      const run = await reconcile(t.deps, { date: today, channel, requestedBy: 'finance:F' });
      expect(run.status).toBe('COMPLETED');
      expect(run.summary).toMatchObject({
        matched: TEXTS.length,
        missingInLedger: 0,
        missingAtProvider: 0,
        amountMismatch: 0,
        timing: 0,
      });
    });
  }
});
