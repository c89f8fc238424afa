/**
 * Conformance: WeChat Pay's trade bill (GET /v3/bill/tradebill, bill_type=ALL, tar_type=GZIP), built from
 * the published format, checked against the adapter's parser and the sandbox's bill writer.
 *
 * Facts, each from pay.weixin.qq.com/doc/v3/merchant/4012556654 (申请交易账单) unless said otherwise:
 *   F1 hash_value is "原始账单(gzip需要解压缩)的摘要值": the SHA-1 of the DECOMPRESSED bill, hash_type SHA1.
 *   F2 the file has four parts: detail header, detail rows, summary header, summary row; fields are comma
 *      separated and every detail field starts with a backtick ("明细数据内容每个字段前会增加1个字符 `").
 *   F3 amounts are yuan ("对账单中涉及金额的字段单位为'元'"); 手续费 carries five decimals (0.00000) and
 *      费率 a percentage, as in the bills in the official SDKs' tests.
 *   F4 the original file starts with a UTF-8 BOM and ends its lines with CRLF: the bill in
 *      wechatpay-axios-plugin's tests/fixtures/bill.ALL.csv has both, and a published hash_value
 *      (gunsluo/wechatpay-go helper_test.go) equals the SHA-1 of its text only with BOM and CRLF.
 *   F5 a refund is its own row: 交易状态 REFUND, the original 微信订单号/商户订单号, 应结订单金额 0.00, and
 *      微信退款单号/商户退款单号/退款金额/退款类型/退款状态 filled in (dromara/dax-pay's sample bill).
 *   F6 总交易单数 counts every detail row, payments and refunds; it may be written "45.0"
 *      (wechatpay-axios-plugin's fixture).
 */
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseWechatBillGzip } from '../../lib/adapters/wechatpay/bill';
import { BillRejectedError } from '../../lib/domain/finance';
import { billRows, wechatBillCsv, wechatBillGzip } from '../../sandbox/bills';
import { readAll } from './support/read';

const HEADER =
  '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注';
const SUMMARY_HEADER =
  '总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额';
const tick = (fields: string[]) => fields.map((f) => `\`${f}`).join(',');

/** A bill written by the facts above: two payments and one partial refund of the first. */
function documentedBill({ count = '3' } = {}): Buffer {
  const pay = (time: string, txn: string, out: string, yuan: string, fee: string) =>
    tick([
      time,
      'wxd678efh567hg6787',
      '1230000109',
      '0',
      '',
      txn,
      out,
      'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
      'JSAPI',
      'SUCCESS',
      'OTHERS',
      'CNY',
      yuan,
      '0.00',
      '0',
      '0',
      '0.00',
      '0.00',
      '',
      '',
      '挂号费',
      '',
      fee,
      '0.60%',
      yuan,
      '0.00',
      '',
    ]);
  const lines = [
    HEADER,
    pay('2026-11-23 09:15:02', '4200002001202611230000000001', 'MPA001', '25.00', '0.15000'),
    pay('2026-11-23 10:40:59', '4200002001202611230000000002', 'MPA002', '120.50', '0.72000'),
    tick([
      '2026-11-23 11:02:33',
      'wxd678efh567hg6787',
      '1230000109',
      '0',
      '',
      '4200002001202611230000000001',
      'MPA001',
      'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
      'JSAPI',
      'REFUND',
      'OTHERS',
      'CNY',
      '0.00',
      '0.00',
      '50300000012026112300000000001',
      'MRA001',
      '10.00',
      '0.00',
      'ORIGINAL',
      'SUCCESS',
      '挂号费',
      '',
      '-0.06000',
      '0.60%',
      '0.00',
      '10.00',
      '',
    ]),
    SUMMARY_HEADER,
    tick([count, '145.50', '10.00', '0.00', '0.81000', '145.50', '10.00']),
  ];
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(lines.join('\r\n') + '\r\n', 'utf8')]);
}

const sha1 = (b: Uint8Array) => createHash('sha1').update(b).digest('hex');
const read = readAll;

describe('WeChat Pay trade bill (conformance)', () => {
  it('F1/F4: accepts hash_value = SHA-1 of the decompressed bill, BOM and CRLF included', async () => {
    const original = documentedBill();
    const lines = await read(parseWechatBillGzip(gzipSync(original), sha1(original), '2026-11-23'));
    expect(lines).toHaveLength(3);
  });

  it('F1: rejects a hash taken over the gzip bytes, or over the text without its BOM', async () => {
    const original = documentedBill();
    const gz = gzipSync(original);
    await expect(read(parseWechatBillGzip(gz, sha1(gz), '2026-11-23'))).rejects.toBeInstanceOf(
      BillRejectedError,
    );
    await expect(
      read(parseWechatBillGzip(gz, sha1(original.subarray(3)), '2026-11-23')),
    ).rejects.toBeInstanceOf(BillRejectedError);
  });

  it('F1: hash_value is compared case-insensitively (hex digest)', async () => {
    const original = documentedBill();
    await expect(
      read(parseWechatBillGzip(gzipSync(original), sha1(original).toUpperCase(), 'd')),
    ).resolves.toHaveLength(3);
  });

  it('F2/F3/F5: reads payments and refunds with their numbers, fen amounts and fees', async () => {
    const original = documentedBill();
    const lines = await read(parseWechatBillGzip(gzipSync(original), sha1(original), '2026-11-23'));
    expect(lines[0]).toEqual({
      kind: 'payment',
      outTradeNo: 'MPA001',
      providerNo: '4200002001202611230000000001',
      amountFen: 2500,
      feeFen: 15,
      at: new Date('2026-11-23T01:15:02Z'),
    });
    expect(lines[2]).toEqual({
      kind: 'refund',
      outTradeNo: 'MPA001',
      outRefundNo: 'MRA001',
      providerNo: '50300000012026112300000000001',
      amountFen: 1000,
      feeFen: -6,
      at: new Date('2026-11-23T03:02:33Z'),
    });
  });

  it('F6: the summary count covers refunds and may be written with a decimal; a wrong count is rejected', async () => {
    const decimal = documentedBill({ count: '3.0' });
    await expect(read(parseWechatBillGzip(gzipSync(decimal), sha1(decimal), 'd'))).resolves.toHaveLength(3);
    const wrong = documentedBill({ count: '2' });
    await expect(read(parseWechatBillGzip(gzipSync(wrong), sha1(wrong), 'd'))).rejects.toBeInstanceOf(
      BillRejectedError,
    );
  });

  it('F2: free text holding commas, quotes, a line break, backticks and 4-byte characters, RFC 4180 quoted with the backtick inside (not published: the named assumption), leaves every other field in place', async () => {
    const text = documentedBill()
      .toString('utf8')
      .replace(/`挂号费/g, '"`挂号,""特需"" `A`\r\n#1 =SUM(A1) 𠮷😀"');
    const original = Buffer.from(text, 'utf8');
    const lines = await read(parseWechatBillGzip(gzipSync(original), sha1(original), '2026-11-23'));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({ outTradeNo: 'MPA001', amountFen: 2500, feeFen: 15 });
    expect(lines[2]).toMatchObject({ kind: 'refund', outRefundNo: 'MRA001', amountFen: 1000, feeFen: -6 });
  });

  it('F2: a row with more fields than the header (an unquoted comma) rejects the bill instead of shifting its columns', async () => {
    const text = documentedBill().toString('utf8').replace('`挂号费', '`挂号,费');
    const original = Buffer.from(text, 'utf8');
    await expect(read(parseWechatBillGzip(gzipSync(original), sha1(original), 'd'))).rejects.toThrow(
      /28 fields where the header has 27/,
    );
  });

  it('a truncated download is rejected, never half-read as complete', async () => {
    const original = documentedBill();
    const gz = gzipSync(original);
    await expect(
      read(parseWechatBillGzip(gz.subarray(0, Math.floor(gz.length * 0.7)), sha1(original), 'd')),
    ).rejects.toBeInstanceOf(BillRejectedError);
  });

  describe('the sandbox writes the same format', () => {
    const paidAt = new Date('2026-11-23T02:00:00Z');
    const trade = {
      channel: 'wechatpay' as const,
      outTradeNo: 'MPS1',
      providerTradeNo: '4200000000000000000001',
      amountFen: 2500,
      description: '挂号费',
      createdAt: paidAt,
      paidAt,
    };
    const refund = {
      channel: 'wechatpay' as const,
      outTradeNo: 'MPS1',
      outRefundNo: 'MRS1',
      refundId: '50300000000000000000000000001',
      amountFen: 1000,
      succeededAt: new Date('2026-11-23T03:00:00Z'),
    };
    const rows = billRows([trade], [refund], 'wechatpay', '2026-11-23', {
      drop: [],
      amountDelta: {},
      nextDay: [],
      extra: 0,
    });
    const { file, sha1: hashValue } = wechatBillGzip(
      wechatBillCsv(rows, { appId: 'wxd678efh567hg6787', mchId: '1230000109' }),
    );
    const original = gunzipSync(file);

    it('F1/F4: its hash_value is the SHA-1 of the decompressed bytes, which start with a BOM and use CRLF', () => {
      expect(hashValue).toBe(sha1(original));
      expect([...original.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(original.toString('utf8').split('\r\n').length).toBeGreaterThan(4);
      expect(original.toString('utf8').replace(/\r\n/g, '')).not.toMatch(/\n/);
    });

    it('F2/F5/F6: same header, backtick fields, refund rows and summary as documented', async () => {
      const text = original.toString('utf8').slice(1).split('\r\n');
      expect(text[0]).toBe(HEADER);
      expect(text.slice(1, 3).every((l) => l.split(',').every((f) => f.startsWith('`')))).toBe(true);
      expect(text[3]).toBe(SUMMARY_HEADER);
      const lines = await read(parseWechatBillGzip(file, hashValue, '2026-11-23'));
      expect(lines.map((l) => [l.kind, l.amountFen])).toEqual([
        ['payment', 2500],
        ['refund', 1000],
      ]);
    });
  });
});
