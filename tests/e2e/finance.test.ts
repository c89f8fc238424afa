import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { businessDayOf } from '../../lib/domain/business-day';
import { payerFor, stackClient, startLocalStack, type LocalStack, type Stack } from '../support/local-stack';

type Json = Record<string, any>;
const ROOT = resolve(import.meta.dirname, '../..');

describe('finance over the local stack: a full day reconciles with zero unexplained lines', () => {
  let local: LocalStack;
  let stack: Stack;
  let client: ReturnType<typeof stackClient>;
  const today = businessDayOf(new Date());
  beforeAll(async () => {
    local = await startLocalStack();
    stack = local.stack;
    client = stackClient(local);
  }, 180_000);
  afterAll(() => local?.stop());

  const api = (method: string, path: string, token: string, body?: unknown) =>
    client.api(method, path, token, body);
  const sandbox = (path: string, body: unknown) => client.sandbox(path, body);
  const patient = () => client.patient();
  const cli = (...args: string[]) =>
    execFileSync(
      process.execPath,
      [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'scripts/finance.ts', ...args],
      {
        cwd: ROOT,
        env: { ...process.env, MEDPAY_LOCAL_DIR: local.localDir },
        encoding: 'utf8',
      },
    ).trim();

  // Per channel: two payments, one partial refund, one pay-later capture and one copy fee = 5 lines.
  it('payments, partial refunds, a pay-later settlement and a copy fee, per channel', async () => {
    const staff = stack.tokens.staff;
    for (const channel of ['alipay', 'wechatpay'] as const) {
      const { token } = await patient();
      for (const amountFen of [2_500, 10_000]) {
        const created = await api('POST', '/payments', token, {
          channel,
          purpose: 'examination',
          referenceId: `HIS-${amountFen}`,
          amountFen,
          description: '检查',
          payer: payerFor(channel),
        });
        await sandbox('/sandbox/pay', { channel, outTradeNo: created.body.outTradeNo });
        if (amountFen === 10_000)
          expect(
            (
              await api('POST', `/payments/${created.body.paymentId}/refunds`, token, {
                amountFen: 4_000,
                reason: '部分退费',
              })
            ).status,
          ).toBe(201);
      }
      // Pay later: open, authorise, one charge, settle.
      const opened = await api('POST', '/visits', token, {
        channel,
        payer: payerFor(channel),
        insured: false,
      });
      await sandbox('/sandbox/authorise', {
        channel,
        outOrderNo: opened.body.outOrderNo,
        orderStr: opened.body.clientParams.orderStr,
      });
      await api('POST', `/visits/${opened.body.visitId}/charges`, staff, {
        chargeId: 'LAB',
        category: 'laboratory',
        description: 'lab',
        amountFen: 6_600,
      });
      await api('POST', `/visits/${opened.body.visitId}/settle`, token, {});
      // A copy fee.
      const cr = await api('POST', '/copy-requests', token, {
        admissionId: 'ADM-1',
        items: ['discharge-summary'],
        copies: 1,
        delivery: { recipient: '王五', phone: '13700000000', address: '某市某路 3 号' },
      });
      await api('POST', `/copy-requests/${cr.body.copyRequestId}/completion`, staff, { pages: 12 });
      const pay = await api('POST', `/copy-requests/${cr.body.copyRequestId}/payments`, token, {
        channel,
        payer: payerFor(channel),
      });
      await sandbox('/sandbox/pay', { channel, outTradeNo: pay.body.outTradeNo });
      for (let i = 0; i < 50; i++) {
        const visit = await api('GET', `/visits/${opened.body.visitId}`, token);
        if (visit.body.status === 'SETTLED') break;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    await new Promise((r) => setTimeout(r, 500)); // WeChat refunds succeed shortly after

    for (const channel of ['alipay', 'wechatpay'] as const) {
      const run = JSON.parse(cli('reconcile', '--date', today, '--channel', channel, '--json')) as Json;
      expect(run).toMatchObject({
        status: 'COMPLETED',
        summary: { matched: 5, missingInLedger: 0, missingAtProvider: 0, amountMismatch: 0, timing: 0 },
      });
      expect(run.summary.feesFen).toBeGreaterThan(0);
      const report = await api('GET', `/reconciliations/${run.reconciliationId}`, stack.tokens.finance);
      expect(report).toMatchObject({ status: 200, body: { status: 'COMPLETED', lines: [] } });
    }
  });

  it('exports the CSV and the XLSX through the CLI (302 to S3), and they open cleanly', async () => {
    const out = mkdtempSync(join(tmpdir(), 'medpay-statement-'));
    onTestFinished(() => rmSync(out, { recursive: true, force: true }));
    const exported = JSON.parse(
      cli('statement', '--date', today, '--format', 'csv', '--out', out, '--json'),
    ) as Json;
    const csvPath = exported.path as string;
    expect(exported.rows).toBeGreaterThan(0);
    // The summary a person reads: the file and its size, amounts in yuan for a reconciliation.
    expect(cli('statement', '--date', today, '--out', out)).toMatch(
      /medpay-.*-all\.csv\n {2}[\d.]+ KB, \d+ rows$/,
    );
    expect(cli('reconcile', '--date', today, '--channel', 'alipay')).toMatch(
      /^alipay .*: COMPLETED[\s\S]*provider fees ¥\d+\.\d{2}/,
    );
    const csv = readFileSync(csvPath);
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.toString('utf8')).toContain('手续费 fee');
    // The columns finance works from: channel, our order number, the provider's, a refund's payment, purpose.
    const csvLines = csv.toString('utf8').split('\r\n');
    expect(csvLines[1]).toBe(
      '交易时间 Time,渠道 Channel,我方单号 Reference,商户订单号 Order No.,渠道单号 Provider No.,原支付 Original Payment,用途 Purpose,HIS单号 HIS Ref.,金额 Gross (¥),手续费 Fee (¥),净额 Net (¥),方向 Direction,账单手续费 Bill Fee (¥),支付方式 Mode',
    );
    // A WeChat Pay refund names its refund_id (Alipay identifies a refund by our out_request_no alone).
    const refundRow =
      csvLines.find((l) => l.includes(',微信支付 wechatpay,') && l.includes(',退款 refund,'))?.split(',') ??
      [];
    expect(refundRow[3]).toMatch(/^[A-Za-z0-9]+$/); // out_refund_no
    expect(refundRow[4]).not.toBe(''); // the provider's refund number
    expect(refundRow[5]).toMatch(/^pay_\S+ \/ \S+$/); // the original payment and its out_trade_no
    expect(refundRow[7]).toMatch(/^HIS-/);
    expect(refundRow[12]).toMatch(/^-\d+\.\d{2}$/); // the fee the provider returns with the refund
    // How each payment was taken: these were paid in the mini-program.
    expect(csvLines.filter((l) => l.endsWith(',小程序 mini-program')).length).toBeGreaterThan(0);
    expect(csvLines.some((l) => l.startsWith('支付宝 alipay,') || l.startsWith('微信支付 wechatpay,'))).toBe(
      true,
    );
    const xlsxPath = (
      JSON.parse(
        cli('statement', '--date', today, '--channel', 'alipay', '--format', 'xlsx', '--out', out, '--json'),
      ) as Json
    ).path as string;
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(xlsxPath);
    const sheet = workbook.getWorksheet('Statement');
    expect(sheet?.getRow(1).getCell(1).text).toMatch(/^medpay/); // the title on top
    expect(sheet?.getRow(2).getCell(1).text).toContain('交易时间');
    expect(sheet?.getRow(3).getCell(1).value).toBeInstanceOf(Date); // a date-time cell
    expect(typeof sheet?.getRow(3).getCell(9).value).toBe('number');
    expect(sheet?.autoFilter).toMatch(/^A2:N\d+$/);
    // Reconciled: each payment line carries the fee the provider's bill shows (0.6 % in the sandbox).
    const billFees = [];
    for (let i = 3; i <= (sheet?.rowCount ?? 0); i++) {
      const row = sheet?.getRow(i);
      if (row?.getCell(12).text === '收入 in') billFees.push(row.getCell(13).value);
    }
    expect(billFees.length).toBeGreaterThan(0);
    expect(billFees.every((v) => typeof v === 'number' && v > 0)).toBe(true);
  });

  it('bad input: malformed or future date, unknown channel → 400; a bill not yet published → 409 with Retry-After', async () => {
    const finance = stack.tokens.finance;
    expect((await api('GET', '/statements/2026-13-40?format=csv', finance)).status).toBe(400);
    expect((await api('GET', '/statements/2999-01-01', finance)).status).toBe(400);
    expect((await api('GET', `/statements/${today}?channel=paypal`, finance)).status).toBe(400);
    expect((await api('POST', '/reconciliations', finance, { date: today, channel: 'paypal' })).status).toBe(
      400,
    );
    expect(
      (await api('POST', '/reconciliations', finance, { date: '2999-01-01', channel: 'alipay' })).status,
    ).toBe(400);
    expect((await api('GET', `/statements/${today}`, stack.tokens.patient)).status).toBe(403);
    await sandbox('/sandbox/settings', { billsAvailable: false });
    const notYet = await api('POST', '/reconciliations', finance, { date: today, channel: 'wechatpay' });
    expect(notYet).toMatchObject({ status: 409, body: { error: { code: 'BILL_NOT_AVAILABLE' } } });
    expect(notYet.headers.get('retry-after')).toBe('3600');
    await sandbox('/sandbox/settings', {
      billsAvailable: true,
      billCorruption: { alipay: 'truncate', wechatpay: 'none' },
    });
    const corrupt = await api('POST', '/reconciliations', finance, { date: today, channel: 'alipay' });
    expect(corrupt).toMatchObject({ status: 422, body: { error: { code: 'BILL_REJECTED' } } });
    await sandbox('/sandbox/settings', { billCorruption: { alipay: 'none', wechatpay: 'none' } });
  });

  it('works a discrepancy through the API: listed OPEN, the day refuses to close, a write-off, then it closes', async () => {
    const finance = stack.tokens.finance;
    await sandbox('/sandbox/settings', { billFaults: { wechatpay: { extra: 1 } } });
    const run = await api('POST', '/reconciliations', finance, { date: today, channel: 'wechatpay' });
    expect(run).toMatchObject({ status: 201, body: { status: 'COMPLETED_WITH_DISCREPANCIES' } });
    const todo = await api('GET', `/discrepancies?status=OPEN&date=${today}&channel=wechatpay`, finance);
    expect(todo.body.items).toHaveLength(1);
    const [d] = todo.body.items as Json[];
    expect(d).toMatchObject({ class: 'missingInLedger', kind: 'payment', status: 'OPEN' });
    const refused = await api('POST', `/finance-days/${today}/close`, finance, { channel: 'wechatpay' });
    expect(refused).toMatchObject({ status: 409, body: { error: { code: 'INVALID_STATE' } } });
    const wrong = await api('POST', `/discrepancies/${d?.discrepancyId}/resolve`, finance, {
      action: 'matched-late',
      note: 'x',
    });
    expect(wrong.status).toBe(409);
    const resolved = await api('POST', `/discrepancies/${d?.discrepancyId}/resolve`, finance, {
      action: 'write-off',
      note: 'unknown order, ticket 42',
    });
    expect(resolved).toMatchObject({
      status: 200,
      body: { status: 'RESOLVED', resolution: { action: 'write-off', note: 'unknown order, ticket 42' } },
    });
    expect((resolved.body.history as Json[]).map((h) => h.action)).toEqual(['opened', 'write-off']);
    const closed = await api('POST', `/finance-days/${today}/close`, finance, { channel: 'wechatpay' });
    expect(closed).toMatchObject({ status: 200, body: { date: today, channel: 'wechatpay' } });
    const runs = await api('GET', `/reconciliations?date=${today}&channel=wechatpay`, finance);
    expect(runs.body.days).toEqual([expect.objectContaining({ closedAt: closed.body.closedAt })]);
    expect((await api('GET', '/discrepancies?status=OPEN', stack.tokens.staff)).status).toBe(403);
    await sandbox('/sandbox/settings', { billFaults: { wechatpay: { extra: 0 } } });
  });
});
