import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../../../lib/config/container';
import { businessDayOf } from '../../../../lib/domain/business-day';
import { Accounts } from '../../../../lib/domain/ledger/accounts';
import { journalTransaction, netOf } from '../../../../lib/domain/ledger/journal';
import { fen } from '../../../../lib/domain/money';
import { exportStatement, type StatementDeps } from '../../../../lib/usecases/finance/statement';
import { writeStatementCsv, writeStatementXlsx } from '../../../../lib/adapters/files/statement-files';
import { emptyTotals, statementRows } from '../../../../lib/usecases/finance/statement-rows';
import { testDeps } from '../../../support/dynamo';
import { memoryFileStore } from '../../../support/memory-file-store';

describe('daily statements', () => {
  let deps: AppDeps & StatementDeps;
  const memory = memoryFileStore();
  const day = '2026-11-20';
  beforeAll(async () => {
    deps = {
      ...(await testDeps({ clock: { now: () => new Date('2026-11-21T02:00:00Z') } })),
      files: memory.store,
      statementWriters: { csv: writeStatementCsv, xlsx: writeStatementXlsx },
    };
    // A day: captures, a refund and the day's provider fee on Alipay; a capture on WeChat; insurance.
    const at = (hh: number, mm = 0) =>
      new Date(`2026-11-20T${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}:00+08:00`);
    const capture = (id: string, channel: 'alipay' | 'wechatpay', amount: number, when: Date) =>
      journalTransaction({
        txnId: `payment:${id}:captured`,
        occurredAt: when,
        refs: {
          paymentId: id,
          outTradeNo: `MP${id}`,
          providerTradeNo: `T${id}`,
          referenceId: `HIS-${id}`,
          purpose: 'examination',
          channel,
        },
        postings: [
          { account: Accounts.channelClearing(channel), side: 'debit', amountFen: fen(amount) },
          { account: Accounts.revenue('examination'), side: 'credit', amountFen: fen(amount) },
        ],
      });
    const txns = [
      capture('p1', 'alipay', 2_500, at(9)),
      capture('p2', 'alipay', 10_000, at(10)),
      capture('p3', 'wechatpay', 399, at(11)),
      journalTransaction({
        txnId: 'refund:r1:succeeded',
        occurredAt: at(12),
        // As refundTransaction writes them (lib/domain/payment.ts).
        refs: {
          refundId: 'r1',
          paymentId: 'p2',
          outTradeNo: 'MPp2',
          outRefundNo: 'RFr1',
          channel: 'alipay',
          purpose: 'examination',
          referenceId: 'HIS-p2',
          providerRefundId: 'RID-r1',
        },
        postings: [
          { account: Accounts.revenue('examination'), side: 'debit', amountFen: fen(3_000) },
          { account: Accounts.channelClearing('alipay'), side: 'credit', amountFen: fen(3_000) },
        ],
      }),
      journalTransaction({
        txnId: 'visit:v1:insurance-settled',
        occurredAt: at(13),
        refs: { visitId: 'v1', preauthId: 'PA1', channel: 'insurance' },
        postings: [
          { account: Accounts.insuranceReceivable(), side: 'debit', amountFen: fen(4_660) },
          { account: Accounts.patientReceivable('PX'), side: 'credit', amountFen: fen(4_660) },
        ],
      }),
      journalTransaction({
        txnId: `reconciliation:alipay:${day}:fees:rec1`,
        occurredAt: new Date(`${day}T23:59:59+08:00`),
        refs: { kind: 'provider-fees', channel: 'alipay', date: day, reconciliationId: 'rec1' },
        postings: [
          { account: Accounts.fees('alipay'), side: 'debit', amountFen: fen(57) },
          { account: Accounts.channelClearing('alipay'), side: 'credit', amountFen: fen(57) },
        ],
      }),
    ];
    for (const journal of txns.reverse()) await deps.ledger.commit({ entities: [], journal });
  });

  it('lists each clearing posting in time order with its totals; the CSV has a BOM and opens as UTF-8', async () => {
    const { key, totals } = await exportStatement(deps, { date: day, channel: 'alipay', format: 'csv' });
    expect(totals).toMatchObject({
      rows: 4,
      inCount: 2,
      inFen: 12_500,
      outCount: 1,
      outFen: 3_000,
      feesFen: 57,
      netFen: 12_500 - 3_000 - 57,
    });
    const csv = memory.files.get(key)?.bytes as Buffer;
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csv.toString('utf8').slice(1).split('\r\n');
    expect(lines[1]).toContain('交易时间');
    expect(lines.slice(2, 6).map((l) => l.split(',')[0])).toEqual([
      '2026-11-20 09:00:00',
      '2026-11-20 10:00:00',
      '2026-11-20 12:00:00',
      '2026-11-20 23:59:59',
    ]);
    // Time, channel, our reference, our order no., the provider's, original payment, purpose, HIS ref., amounts;
    // no bill fee: these days have no reconciliation; no mode: these payments predate it.
    expect(lines[2]).toBe(
      '2026-11-20 09:00:00,支付宝 alipay,p1,MPp1,Tp1,,检查检验费 examination,HIS-p1,25.00,0.00,25.00,收入 in,,',
    );
    expect(lines[4]).toBe(
      '2026-11-20 12:00:00,支付宝 alipay,r1,RFr1,RID-r1,p2 / MPp2,退款 refund,HIS-p2,30.00,0.00,-30.00,支出 out,,',
    );
    expect(lines).toContain('合计 All,2,125.00,1,30.00,0.57,94.43');
  });

  it('the XLSX read back with exceljs has typed yuan cells whose totals equal the ledger', async () => {
    const { key, totals } = await exportStatement(deps, { date: day, format: 'xlsx' });
    expect(totals.rows).toBe(6); // both channels and insurance
    const workbook = new ExcelJS.Workbook();
    const bytes = memory.files.get(key)?.bytes as Buffer;
    await workbook.xlsx.load(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer,
    );
    const sheet = workbook.getWorksheet('Statement');
    let grossIn = 0;
    sheet?.eachRow((row, n) => {
      if (n <= 2 || n > 2 + totals.rows) return; // the title, the header; the totals below
      expect(row.getCell(1).value).toBeInstanceOf(Date);
      const gross = row.getCell(9);
      expect(typeof gross.value).toBe('number');
      expect(gross.numFmt).toBe('0.00');
      if (row.getCell(12).text.startsWith('收入')) grossIn += Math.round((gross.value as number) * 100);
    });
    expect(grossIn).toBe(totals.inFen);
    // All channels: totals per channel, then all.
    expect(Object.keys(totals.byChannel).sort()).toEqual(['alipay', 'insurance', 'wechatpay']);
    const labels: string[] = [];
    sheet?.eachRow((row, n) => {
      if (n > 2 + totals.rows) labels.push(row.getCell(8).text);
    });
    expect(labels).toEqual([
      '合计 Totals',
      '支付宝 alipay (2 in, 1 out)',
      '微信支付 wechatpay (1 in, 0 out)',
      '医保 insurance (1 in, 0 out)',
      '合计 All (4 in, 1 out)',
    ]);
    expect(totals.inFen).toBe(2_500 + 10_000 + 399 + 4_660);
  });

  it('bad dates are 400 before any file is written', async () => {
    await expect(exportStatement(deps, { date: '2026-02-30', format: 'csv' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await expect(exportStatement(deps, { date: '2026-11-22', format: 'csv' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });

  it('property: for random days, the statement totals equal the journal sums', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            channel: fc.constantFrom('alipay' as const, 'wechatpay' as const),
            amount: fc.integer({ min: 1, max: 1_000_000 }),
            refund: fc.boolean(),
            minute: fc.integer({ min: 0, max: 1439 }),
          }),
          { minLength: 1, maxLength: 25 },
        ),
        async (ops) => {
          const d = `2025-0${1 + (run % 9)}-${String(1 + Math.floor(run / 9)).padStart(2, '0')}`;
          run += 1;
          for (const [i, o] of ops.entries()) {
            const when = new Date(Date.parse(`${d}T00:00:00+08:00`) + o.minute * 60_000);
            await deps.ledger.commit({
              entities: [],
              journal: journalTransaction({
                txnId: `prop:${d}:${i}`,
                occurredAt: when,
                refs: o.refund
                  ? { refundId: `r${i}`, channel: o.channel }
                  : { paymentId: `p${i}`, channel: o.channel },
                postings: [
                  {
                    account: Accounts.channelClearing(o.channel),
                    side: o.refund ? 'credit' : 'debit',
                    amountFen: fen(o.amount),
                  },
                  {
                    account: Accounts.revenue('other'),
                    side: o.refund ? 'debit' : 'credit',
                    amountFen: fen(o.amount),
                  },
                ],
              }),
            });
          }
          for (const channel of ['alipay', 'wechatpay'] as const) {
            const totals = emptyTotals();
            let previous = '';
            for await (const row of statementRows(deps, d, channel, totals)) {
              expect(row.time.toISOString() >= previous).toBe(true);
              previous = row.time.toISOString();
            }
            const postings = [];
            for await (const txn of deps.ledger.journalForDay(businessDayOf(new Date(`${d}T12:00:00+08:00`))))
              postings.push(...txn.postings.filter((p) => p.account === `channel:${channel}:clearing`));
            expect(totals.netFen).toBe(netOf(postings));
            expect(totals.rows).toBe(postings.length);
          }
        },
      ),
      { numRuns: 15 },
    );
  });
});
