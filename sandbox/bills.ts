/**
 * The sandbox providers' daily bills, in each provider's own format, for their own order books:
 *   - Alipay (alipay.data.dataservice.bill.downloadurl.query, bill_type=trade): a zip holding the detail
 *     CSV and the summary CSV, GBK-encoded, with `#` preamble lines and tab-padded fields;
 *   - WeChat Pay (GET /v3/bill/tradebill, tar_type=GZIP): every field prefixed with a backtick, a summary
 *     section after the rows, gzipped, with its SHA-1 given by the API.
 * Fees: 0.6 % of each payment in whole fen (half up), returned pro rata on refunds. Discrepancies can be
 * injected per channel to exercise reconciliation.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'fflate';
import iconv from 'iconv-lite';
import { formatSignedYuan } from '../lib/domain/money';
import { zipWithRawNames } from './zip';

type Channel = 'alipay' | 'wechatpay';

/** A paid trade in a provider's book. */
export interface BookTrade {
  channel: Channel;
  outTradeNo: string;
  providerTradeNo: string;
  amountFen: number;
  description: string;
  payer?: string;
  createdAt: Date;
  paidAt?: Date;
  /** WeChat Pay partner mode: the sub-merchant and its app (the bill's 特约商户号). */
  subMchId?: string;
  subAppId?: string;
  /** Alipay partner mode: the merchant app the trade was made for. */
  authAppId?: string;
  /** WeChat's 交易类型 (JSAPI, NATIVE, MICROPAY) and 设备号 (the terminal a payment code was scanned on). */
  tradeType?: string;
  deviceId?: string;
}
/** A succeeded refund in a provider's book. */
export interface BookRefund {
  channel: Channel;
  outTradeNo: string;
  outRefundNo: string;
  refundId: string;
  amountFen: number;
  succeededAt?: Date;
}

/** Discrepancies to inject into one channel's bills (by our out_trade_no / out_refund_no). */
export interface BillFaults {
  /** Rows left out of the bill. */
  drop: string[];
  /** Rows whose amount is off by this many fen. */
  amountDelta: Record<string, number>;
  /** Rows the provider books on the next day instead. */
  nextDay: string[];
  /** Rows the provider has that medpay never saw. */
  extra: number;
}

export const FEE_BP = 60;
/** The provider's fee on an amount: 0.6 % in whole fen, half up. */
export const feeOf = (amountFen: number) => Math.floor((amountFen * FEE_BP + 5_000) / 10_000);

/** Beijing calendar day of an instant, yyyy-mm-dd. */
export const beijingDay = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
const beijingTime = (d: Date) =>
  new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
const nextDayOf = (day: string) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

interface Row {
  kind: 'payment' | 'refund';
  trade: BookTrade;
  refund?: BookRefund;
  at: Date;
  amountFen: number;
  feeFen: number;
}

/** The rows a channel's bill for `day` holds, faults applied. */
export function billRows(
  trades: readonly BookTrade[],
  refunds: readonly BookRefund[],
  channel: Channel,
  day: string,
  faults: BillFaults,
): Row[] {
  const rows: Row[] = [];
  const dayOf = (key: string, at: Date) =>
    faults.nextDay.includes(key) ? nextDayOf(beijingDay(at)) : beijingDay(at);
  for (const t of trades) {
    if (t.channel !== channel || !t.paidAt || faults.drop.includes(t.outTradeNo)) continue;
    if (dayOf(t.outTradeNo, t.paidAt) !== day) continue;
    const amountFen = t.amountFen + (faults.amountDelta[t.outTradeNo] ?? 0);
    rows.push({ kind: 'payment', trade: t, at: t.paidAt, amountFen, feeFen: feeOf(t.amountFen) });
  }
  const byTrade = new Map(trades.filter((t) => t.channel === channel).map((t) => [t.outTradeNo, t]));
  for (const r of refunds) {
    const trade = byTrade.get(r.outTradeNo);
    if (r.channel !== channel || !r.succeededAt || !trade || faults.drop.includes(r.outRefundNo)) continue;
    if (dayOf(r.outRefundNo, r.succeededAt) !== day) continue;
    const amountFen = r.amountFen + (faults.amountDelta[r.outRefundNo] ?? 0);
    // The fee is returned pro rata with the refund.
    rows.push({
      kind: 'refund',
      trade,
      refund: r,
      at: r.succeededAt,
      amountFen,
      feeFen: -Math.floor((feeOf(trade.amountFen) * r.amountFen) / trade.amountFen),
    });
  }
  for (let i = 0; i < faults.extra; i++) {
    const at = new Date(Date.parse(`${day}T04:00:00Z`) + i * 1000);
    const trade: BookTrade = {
      channel,
      outTradeNo: `EXTRA${day.replace(/-/g, '')}${i}`,
      providerTradeNo: `${day.replace(/-/g, '')}99${String(i).padStart(10, '0')}`,
      amountFen: 1_000 + i,
      description: '未知订单',
      createdAt: at,
      paidAt: at,
    };
    rows.push({ kind: 'payment', trade, at, amountFen: trade.amountFen, feeFen: feeOf(trade.amountFen) });
  }
  return rows.sort((a, b) => a.at.getTime() - b.at.getTime());
}

const yuan = formatSignedYuan;

/**
 * A CSV field as RFC 4180 writes it: enclosed in double quotes, its quotes doubled, when it holds a comma, a
 * quote or a line break. Neither provider publishes how it quotes such a field; this is the assumption medpay's
 * parsers make too (lib/adapters/bills/lines.ts, csvRecords), stated in docs/finance.md.
 */
const csvField = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** Alipay's trade bill for `day`: a zip of GBK CSVs (detail + summary). */
export function alipayBillZip(rows: readonly Row[], pid: string, day: string): Uint8Array {
  const compact = day.replace(/-/g, '');
  const start = `${day.slice(0, 4)}年${day.slice(5, 7)}月${day.slice(8, 10)}日`;
  const pad = (v: string) => `${csvField(v)}\t`; // Alipay pads every field with a tab before the comma
  const header =
    '支付宝交易号,商户订单号,业务类型,商品名称,创建时间,完成时间,门店编号,门店名称,操作员,终端号,对方账户,订单金额（元）,商家实收（元）,支付宝红包（元）,集分宝（元）,支付宝优惠（元）,商家优惠（元）,券核销金额（元）,券名称,商家红包消费金额（元）,卡消费金额（元）,退款批次号/请求号,服务费（元）,分润（元）,备注';
  const lines = rows.map((r) =>
    [
      r.trade.providerTradeNo,
      r.trade.outTradeNo,
      r.kind === 'payment' ? '交易' : '退款',
      r.trade.description,
      beijingTime(r.trade.createdAt),
      beijingTime(r.at),
      '',
      '',
      '',
      '',
      r.trade.payer ?? '',
      yuan(r.trade.amountFen),
      yuan(r.kind === 'payment' ? r.amountFen : -r.amountFen),
      '0.00',
      '0.00',
      '0.00',
      '0.00',
      '0.00',
      '',
      '0.00',
      '0.00',
      r.refund?.outRefundNo ?? '',
      yuan(-r.feeFen),
      '0.00',
      '',
    ]
      .map(pad)
      .join(','),
  );
  const payments = rows.filter((r) => r.kind === 'payment');
  const refunds = rows.filter((r) => r.kind === 'refund');
  const detail = [
    '#支付宝业务明细查询',
    `#账号：[${pid}0156]`,
    `#起始日期：[${start} 00:00:00]   终止日期：[${start} 23:59:59]`,
    '#-----------------------------------------业务明细列表----------------------------------------',
    header,
    ...lines,
    '#-----------------------------------------业务明细列表结束------------------------------------',
    `#交易合计：${payments.length}笔，商家实收共${yuan(payments.reduce((n, r) => n + r.amountFen, 0))}元`,
    `#退款合计：${refunds.length}笔，商家实收共${yuan(-refunds.reduce((n, r) => n + r.amountFen, 0))}元`,
    `#导出时间：[${beijingTime(new Date())}]`,
  ].join('\r\n');
  const paidFen = payments.reduce((n, r) => n + r.amountFen, 0);
  const refundedFen = refunds.reduce((n, r) => n + r.amountFen, 0);
  const feeFen = rows.reduce((n, r) => n + r.feeFen, 0);
  const totals = (label: string) =>
    [
      label,
      '',
      payments.length,
      refunds.length,
      yuan(paidFen),
      yuan(paidFen - refundedFen),
      '0.00',
      '0.00',
      '0.00',
      yuan(-feeFen),
      '0.00',
      yuan(paidFen - refundedFen - feeFen),
    ]
      .map((v) => pad(String(v)))
      .join(',');
  // The summary's columns as Alipay's 业务明细(汇总) names them (one row per store, then 合计).
  const summary = [
    '#支付宝业务汇总查询',
    `#账号：[${pid}0156]`,
    `#起始日期：[${start} 00:00:00]   终止日期：[${start} 23:59:59]`,
    '门店编号,门店名称,交易订单总笔数,退款订单总笔数,订单金额（元）,商家实收（元）,支付宝优惠（元）,商家优惠（元）,卡消费金额（元）,服务费（元）,分润（元）,实收净额（元）',
    totals('合计'),
    `#导出时间：[${beijingTime(new Date())}]`,
  ].join('\r\n');
  // Entry names are GBK with the zip's UTF-8 flag clear, as Alipay writes them.
  return zipWithRawNames([
    // GB18030 is GBK for every GBK character; it also writes one outside GBK (an emoji in a subject), which
    // Alipay's GBK cannot. What Alipay writes then is not published: docs/finance.md, "Bill files".
    {
      name: iconv.encode(`${pid}0156_${compact}_业务明细.csv`, 'gbk'),
      data: iconv.encode(detail, 'gb18030'),
    },
    {
      name: iconv.encode(`${pid}0156_${compact}_业务明细(汇总).csv`, 'gbk'),
      data: iconv.encode(summary, 'gbk'),
    },
  ]);
}

/** WeChat Pay's trade bill (bill_type ALL) for `day`, as CSV text. */
export function wechatBillCsv(rows: readonly Row[], ids: { appId: string; mchId: string }): string {
  const q = (v: string) => csvField(`\`${v}`); // the backtick is part of the field, inside any quotes
  const fee5 = (fen: number) => `${yuan(fen)}000`;
  const header =
    '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注';
  const lines = rows.map((r) =>
    [
      beijingTime(r.at),
      r.trade.subMchId ? (r.trade.subAppId ?? ids.appId) : ids.appId,
      ids.mchId,
      r.trade.subMchId ?? '0',
      r.trade.deviceId ?? '',
      r.trade.providerTradeNo,
      r.trade.outTradeNo,
      r.trade.payer ?? '',
      r.trade.tradeType ?? 'JSAPI',
      r.kind === 'payment' ? 'SUCCESS' : 'REFUND',
      'OTHERS',
      'CNY',
      yuan(r.kind === 'payment' ? r.amountFen : 0),
      '0.00',
      r.refund?.refundId ?? '0',
      r.refund?.outRefundNo ?? '0',
      yuan(r.kind === 'refund' ? r.amountFen : 0),
      '0.00',
      r.kind === 'refund' ? 'ORIGINAL' : '',
      r.kind === 'refund' ? 'SUCCESS' : '',
      r.trade.description,
      '',
      fee5(r.feeFen),
      '0.60%',
      yuan(r.trade.amountFen),
      yuan(r.kind === 'refund' ? r.amountFen : 0),
      '',
    ]
      .map(q)
      .join(','),
  );
  const payments = rows.filter((r) => r.kind === 'payment');
  const refunds = rows.filter((r) => r.kind === 'refund');
  const paid = payments.reduce((n, r) => n + r.amountFen, 0);
  const refunded = refunds.reduce((n, r) => n + r.amountFen, 0);
  return (
    [
      header,
      ...lines,
      '总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额',
      [
        String(rows.length),
        yuan(paid),
        yuan(refunded),
        '0.00',
        fee5(rows.reduce((n, r) => n + r.feeFen, 0)),
        yuan(paid),
        yuan(refunded),
      ]
        .map(q)
        .join(','),
    ].join('\r\n') + '\r\n'
  );
}

/** The original bill's bytes as WeChat writes them: UTF-8 with a BOM (see the bills in its own SDKs' tests). */
export function wechatBillBytes(csv: string): Buffer {
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv, 'utf8')]);
}

/**
 * Gzips the WeChat bill and gives its hash_value as the tradebill API does: the SHA-1 of the original,
 * decompressed bill (pay.weixin.qq.com/doc/v3/merchant/4012556654: "原始账单(gzip需要解压缩)的摘要值").
 */
export function wechatBillGzip(csv: string) {
  const original = wechatBillBytes(csv);
  return { file: gzipSync(original), sha1: createHash('sha1').update(original).digest('hex') };
}
