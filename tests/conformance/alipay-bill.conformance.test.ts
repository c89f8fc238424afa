/**
 * Conformance: Alipay's trade bill (alipay.data.dataservice.bill.downloadurl.query, bill_type=trade), a zip
 * built byte by byte from the published facts, checked against the adapter's parser and the sandbox.
 *
 * Facts:
 *   A1 the zip's entries are `<账号>_<yyyyMMdd>_业务明细.csv` and `<账号>_<yyyyMMdd>_业务明细(汇总).csv`, named
 *      in GBK with the zip's UTF-8 flag (general purpose bit 11) CLEAR: alipay/alipay-sdk-java-all issue #4
 *      ("对账单zip解压错误", fixed by `new ZipFile(zip, Charset.forName("GBK"))`). The account in the names is
 *      the PID followed by 0156, and the CSVs are "ANSI" (GBK) text (Alipay's guide to
 *      alipay.data.dataservice.bill.downloadurl.query, developer.aliyun.com/article/707638).
 *   A2 the files are GBK text: `#` preamble (#支付宝业务明细查询, #账号：[…], #起始日期：[…]   终止日期：[…],
 *      #---业务明细列表---), the column header, the rows, `#---业务明细列表结束---`, then the trailer
 *      `#交易合计：N笔，商家实收共X元…`, `#退款合计：N笔…`, `#导出时间：[…]` (a 2019 detail bill published as a
 *      Java SDK test fixture).
 *   A3 many fields are padded with a tab before the comma (same bill).
 *   A4 a refund is a row of 业务类型 退款 with the trade's 支付宝交易号/商户订单号, a negative 商家实收（元）
 *      and the refund's out_request_no in 退款批次号/请求号 (same bill: re_test_1568602607356).
 *   A5 the summary file's columns are 门店编号,门店名称,交易订单总笔数,退款订单总笔数,订单金额（元）,商家实收（元）,
 *      支付宝优惠（元）,商家优惠（元）,卡消费金额（元）,服务费（元）,分润（元）,实收净额（元） (dromara/dax-pay's
 *      AlipayReconcileBillTotal), one row per store and a 合计 row.
 *   A6 服务费（元） is what Alipay deducts, written negative on a payment and positive when a refund returns
 *      it (实收净额 = 商家实收 + 服务费). The public sample only shows 0.00 fees: this sign is our reading.
 */
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { parseAlipayBillZip } from '../../lib/adapters/alipay/bill';
import { BillRejectedError } from '../../lib/domain/finance';
import { alipayBillZip, billRows } from '../../sandbox/bills';
import { storedZip, zipNames } from './support/zip';
import { readAll } from './support/read';

const HEADER =
  '支付宝交易号,商户订单号,业务类型,商品名称,创建时间,完成时间,门店编号,门店名称,操作员,终端号,对方账户,订单金额（元）,商家实收（元）,支付宝红包（元）,集分宝（元）,支付宝优惠（元）,商家优惠（元）,券核销金额（元）,券名称,商家红包消费金额（元）,卡消费金额（元）,退款批次号/请求号,服务费（元）,分润（元）,备注';
const ACCOUNT = '20880211096256330156';

/** A detail row: tab-padded where Alipay pads (A3). */
const row = (f: {
  tradeNo: string;
  out: string;
  kind: '交易' | '退款';
  created: string;
  done: string;
  amount: string;
  received: string;
  requestNo?: string;
  fee: string;
}) =>
  [
    `${f.tradeNo}\t`,
    `${f.out}\t`,
    `${f.kind}\t`,
    '挂号费',
    f.created,
    f.done,
    '\t',
    '\t',
    '\t',
    '\t',
    '*三(138***01)\t',
    f.amount,
    f.received,
    '0.00',
    '0.00',
    '0.00',
    '0.00',
    '0.00',
    '',
    '0.00\t',
    '0.00',
    `${f.requestNo ?? ''}\t`,
    f.fee,
    '0.00',
    '挂号费',
  ].join(',');

function detailText({ trades = '2', refunds = '1', end = true } = {}) {
  return [
    '#支付宝业务明细查询',
    `#账号：[${ACCOUNT}]`,
    '#起始日期：[2026年11月23日 00:00:00]   终止日期：[2026年11月24日 00:00:00]',
    '#-----------------------------------------业务明细列表----------------------------------------',
    HEADER,
    row({
      tradeNo: '2026112322001400000000000001',
      out: 'MPB001',
      kind: '交易',
      created: '2026-11-23 09:00:00',
      done: '2026-11-23 09:00:07',
      amount: '25.00',
      received: '25.00',
      fee: '-0.15',
    }),
    row({
      tradeNo: '2026112322001400000000000002',
      out: 'MPB002',
      kind: '交易',
      created: '2026-11-23 10:00:00',
      done: '2026-11-23 10:00:09',
      amount: '120.50',
      received: '120.50',
      fee: '-0.72',
    }),
    row({
      tradeNo: '2026112322001400000000000001',
      out: 'MPB001',
      kind: '退款',
      created: '2026-11-23 09:00:00',
      done: '2026-11-23 11:30:00',
      amount: '25.00',
      received: '-10.00',
      requestNo: 'MRB001',
      fee: '0.06',
    }),
    ...(end
      ? ['#-----------------------------------------业务明细列表结束------------------------------------']
      : []),
    `#交易合计：${trades}笔，商家实收共145.50元，商家优惠共0.00元`,
    `#退款合计：${refunds}笔，商家实收退款共-10.00元，商家优惠退款共0.00元`,
    '#导出时间：[2026年11月24日 05:46:49]',
  ].join('\r\n');
}

function summaryText(trades = 2, refunds = 1) {
  return [
    '#支付宝业务汇总查询',
    `#账号：[${ACCOUNT}]`,
    '#起始日期：[2026年11月23日 00:00:00]   终止日期：[2026年11月24日 00:00:00]',
    '门店编号,门店名称,交易订单总笔数,退款订单总笔数,订单金额（元）,商家实收（元）,支付宝优惠（元）,商家优惠（元）,卡消费金额（元）,服务费（元）,分润（元）,实收净额（元）',
    `合计\t,\t,${trades}\t,${refunds}\t,145.50\t,135.50\t,0.00\t,0.00\t,0.00\t,-0.81\t,0.00\t,134.69\t`,
    '#导出时间：[2026年11月24日 05:46:49]',
  ].join('\r\n');
}

const gbk = (s: string) => iconv.encode(s, 'gbk');
const entry = (suffix: string, text: string, utf8Flag = false) => ({
  name: utf8Flag
    ? Buffer.from(`${ACCOUNT}_20261123_${suffix}`, 'utf8')
    : gbk(`${ACCOUNT}_20261123_${suffix}`),
  utf8Flag,
  data: gbk(text),
});

const read = readAll;

describe('Alipay trade bill (conformance)', () => {
  it('A1: the test zip really is as Alipay ships it: GBK names, UTF-8 flag clear', () => {
    const zip = storedZip([entry('业务明细.csv', detailText()), entry('业务明细(汇总).csv', summaryText())]);
    const names = zipNames(zip);
    expect(names.map((n) => n.flags & 0x0800)).toEqual([0, 0]);
    expect(iconv.decode(names[0]?.name as Buffer, 'gbk')).toBe(`${ACCOUNT}_20261123_业务明细.csv`);
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(names[0]?.name)).toThrow();
  });

  it('A1–A5: accepts GBK-named entries without the UTF-8 flag, detail and summary', async () => {
    const zip = storedZip([entry('业务明细.csv', detailText()), entry('业务明细(汇总).csv', summaryText())]);
    expect(await read(parseAlipayBillZip(zip, '2026-11-23'))).toHaveLength(3);
  });

  it('A1: accepts the detail alone, and UTF-8 names that do set the flag', async () => {
    expect(
      await read(parseAlipayBillZip(storedZip([entry('业务明细.csv', detailText())]), 'd')),
    ).toHaveLength(3);
    const flagged = storedZip([
      entry('业务明细.csv', detailText(), true),
      entry('业务明细(汇总).csv', summaryText(), true),
    ]);
    expect(await read(parseAlipayBillZip(flagged, 'd'))).toHaveLength(3);
  });

  it('A5: a summary whose columns are not the documented ones adds no check; the detail trailer still does', async () => {
    const other = entry('业务明细(汇总).csv', '#支付宝业务汇总查询\r\n门店,笔数\r\n合计,3\r\n');
    expect(
      await read(parseAlipayBillZip(storedZip([entry('业务明细.csv', detailText()), other]), 'd')),
    ).toHaveLength(3);
  });

  it('A3/A4/A6: reads trades and refunds: numbers, fen amounts, fees and Beijing completion times', async () => {
    const lines = await read(parseAlipayBillZip(storedZip([entry('业务明细.csv', detailText())]), 'd'));
    expect(lines[0]).toEqual({
      kind: 'payment',
      outTradeNo: 'MPB001',
      providerNo: '2026112322001400000000000001',
      amountFen: 2500,
      feeFen: 15,
      at: new Date('2026-11-23T01:00:07Z'),
    });
    expect(lines[2]).toEqual({
      kind: 'refund',
      outTradeNo: 'MPB001',
      outRefundNo: 'MRB001',
      providerNo: '2026112322001400000000000001',
      amountFen: 1000,
      feeFen: -6,
      at: new Date('2026-11-23T03:30:00Z'),
    });
  });

  it('free text holding commas, quotes, a line break, # and 4-byte characters, RFC 4180 quoted (not published: the named assumption), leaves every other field in place', async () => {
    const name = '"挂号,""特需""\r\n#1 =SUM(A1) 𠮷😀"\t';
    const text = detailText().replace(/挂号费/g, name);
    expect(text).toContain(name);
    const zip = storedZip([{ ...entry('业务明细.csv', ''), data: iconv.encode(text, 'gb18030') }]);
    const lines = await read(parseAlipayBillZip(zip, 'd'));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({ outTradeNo: 'MPB001', amountFen: 2500, feeFen: 15 });
    expect(lines[2]).toMatchObject({ kind: 'refund', outRefundNo: 'MRB001', amountFen: 1000, feeFen: -6 });
  });

  it('a row with more fields than the header (an unquoted comma) rejects the bill instead of shifting its columns', async () => {
    const text = detailText().replace('挂号费', '挂号,费');
    await expect(
      read(parseAlipayBillZip(storedZip([{ ...entry('业务明细.csv', ''), data: gbk(text) }]), 'd')),
    ).rejects.toThrow(/26 fields where the header has 25/);
  });

  it('A2/A5: a trailer or a summary that disagrees with the rows, or a missing end line, rejects the bill', async () => {
    const bad = [
      storedZip([entry('业务明细.csv', detailText({ trades: '3' }))]),
      storedZip([entry('业务明细.csv', detailText({ end: false }))]),
      storedZip([entry('业务明细.csv', detailText()), entry('业务明细(汇总).csv', summaryText(2, 2))]),
    ];
    for (const zip of bad)
      await expect(read(parseAlipayBillZip(zip, 'd'))).rejects.toBeInstanceOf(BillRejectedError);
  });

  it('A1: a zip with no 业务明细 entry, or cut short, is rejected', async () => {
    const other = storedZip([{ name: gbk('readme.txt'), utf8Flag: false, data: gbk('x') }]);
    await expect(read(parseAlipayBillZip(other, 'd'))).rejects.toBeInstanceOf(BillRejectedError);
    const whole = storedZip([entry('业务明细.csv', detailText())]);
    await expect(read(parseAlipayBillZip(whole.subarray(0, whole.length - 30), 'd'))).rejects.toBeInstanceOf(
      BillRejectedError,
    );
  });

  describe('the sandbox writes the same format', () => {
    const paidAt = new Date('2026-11-23T02:00:00Z');
    const trade = {
      channel: 'alipay' as const,
      outTradeNo: 'MPS2',
      providerTradeNo: '2026112322001400000000000009',
      amountFen: 2500,
      description: '挂号费',
      createdAt: paidAt,
      paidAt,
    };
    const refund = {
      channel: 'alipay' as const,
      outTradeNo: 'MPS2',
      outRefundNo: 'MRS2',
      refundId: 'MRS2',
      amountFen: 1000,
      succeededAt: new Date('2026-11-23T03:00:00Z'),
    };
    const rows = billRows([trade], [refund], 'alipay', '2026-11-23', {
      drop: [],
      amountDelta: {},
      nextDay: [],
      extra: 0,
    });
    const zip = alipayBillZip(rows, '2088021109625633', '2026-11-23');

    it('A1: GBK entry names with the UTF-8 flag clear, detail and summary', () => {
      const names = zipNames(zip);
      expect(names.every((n) => (n.flags & 0x0800) === 0)).toBe(true);
      expect(names.map((n) => iconv.decode(n.name, 'gbk'))).toEqual([
        '20880211096256330156_20261123_业务明细.csv',
        '20880211096256330156_20261123_业务明细(汇总).csv',
      ]);
    });

    it('A2–A5: parses as the documented bill does', async () => {
      const lines = await read(parseAlipayBillZip(zip, '2026-11-23'));
      expect(lines.map((l) => [l.kind, l.amountFen, l.outRefundNo])).toEqual([
        ['payment', 2500, undefined],
        ['refund', 1000, 'MRS2'],
      ]);
    });
  });
});
