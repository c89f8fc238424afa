/**
 * Alipay's daily trade bill: `alipay.data.dataservice.bill.downloadurl.query` (bill_type=trade; opendocs.alipay.com/apis/api_15/
 * alipay.data.dataservice.bill.downloadurl.query) gives a download URL for a zip holding `<账号>_<yyyyMMdd>_业务明细.csv` and
 * `…_业务明细(汇总).csv`: GBK text, entry names GBK without the zip's UTF-8 flag (see zipEntryName), `#`
 * preamble and trailer lines (#交易合计：N笔… / #退款合计：N笔…), fields padded with a tab before the comma,
 * refunds as 业务类型 退款 with negative 商家实收 and their out_request_no in 退款批次号/请求号. A field holding a
 * comma, quote or line break (商品名称, 备注: the HIS's text) is read as RFC 4180 quoted: not published, see
 * csvRecords. The detail is streamed; the trailer's counts must match the rows read, or the file is treated as truncated.
 */
import { BillNotAvailableError, BillRejectedError, type BillLine } from '../../domain/finance';
import { ProviderUnavailableError } from '../../domain/errors';
import { csvRecords, positiveFen, yuanToFen } from '../bills/lines';
import { alipayOk, type AlipayClient } from './client';
import type { BillSource } from '../../ports/bill-source';
import { parseAlipayTime } from './notification';

/** Fetches and parses the bill of a Beijing business day. */
export async function fetchAlipayBill(
  exec: AlipayClient['exec'],
  day: string,
): Promise<AsyncIterable<BillLine>> {
  const r = await exec('alipay.data.dataservice.bill.downloadurl.query', {
    bill_type: 'trade',
    bill_date: day,
  });
  if (r.sub_code === 'isp.bill_not_exist' || r.sub_code === 'isp.bill_not_ready')
    throw new BillNotAvailableError('alipay', day);
  if (!alipayOk(r) || !r.bill_download_url)
    throw new ProviderUnavailableError(`Alipay bill query failed: ${r.sub_code ?? r.code}.`, {
      channel: 'alipay',
    });
  let zip: Uint8Array;
  try {
    const res = await fetch(r.bill_download_url, { signal: AbortSignal.timeout(60_000) });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    zip = new Uint8Array(await res.arrayBuffer());
  } catch (error) {
    throw new ProviderUnavailableError(
      'The Alipay bill download failed.',
      { channel: 'alipay' },
      { cause: error },
    );
  }
  return parseAlipayBillZip(zip, day);
}

/** Parses the zip's detail file; any damage is a BillRejectedError. */
export async function* parseAlipayBillZip(zip: Uint8Array, day: string): AsyncIterable<BillLine> {
  const reject = (reason: string) => new BillRejectedError('alipay', day, reason);
  // A zip ends with its central directory: without it the download was cut short.
  if (!hasEndOfCentralDirectory(zip)) throw reject('the zip is truncated (no end of central directory)');
  const { unzipEntries } = await import('../bills/zip'); // fflate only when a bill is read
  let entries: Map<string, import('node:stream').Readable>;
  try {
    entries = unzipEntries(zip);
  } catch (error) {
    throw reject(`not a readable zip (${(error as Error).message})`);
  }
  const detailName = [...entries.keys()].find((n) => n.endsWith('_业务明细.csv'));
  const detail = detailName ? entries.get(detailName) : undefined;
  if (!detail) throw reject('the zip has no 业务明细.csv');
  let header: string[] | undefined;
  let ended = false;
  const counted = { payment: 0, refund: 0 };
  const declared: { payment?: number; refund?: number } = {};
  try {
    for await (const fields of csvRecords(detail, 'gbk')) {
      // A `#` line (preamble, end of list, trailer) is one text; its commas, if any, are not separators.
      const line = fields.join(',');
      if (line.startsWith('#')) {
        if (line.includes('业务明细列表结束')) ended = true;
        const payments = /^#交易合计：(\d+)笔/.exec(line);
        const refunds = /^#退款合计：(\d+)笔/.exec(line);
        if (payments) declared.payment = Number(payments[1]);
        if (refunds) declared.refund = Number(refunds[1]);
        continue;
      }
      if (!header) {
        if (fields[0] !== '支付宝交易号') throw new Error('the detail header is missing');
        header = fields;
        continue;
      }
      if (ended) continue;
      // More fields than the header: a field holding a comma was written unquoted, so every column after it
      // is shifted. The row cannot be read safely, and the bill is rejected rather than misread.
      if (fields.length > header.length)
        throw new Error(
          `a row has ${fields.length} fields where the header has ${header.length} (an unquoted comma?)`,
        );
      const get = (name: string) => {
        const i = (header as string[]).indexOf(name);
        if (i < 0 || fields[i] === undefined) throw new Error(`column ${name} is missing`);
        return fields[i];
      };
      const kind = get('业务类型') === '退款' ? 'refund' : 'payment';
      const at = parseAlipayTime(get('完成时间'));
      if (!at) throw new Error(`完成时间 ${get('完成时间')} is not a time`);
      counted[kind] += 1;
      yield {
        kind,
        outTradeNo: get('商户订单号'),
        ...(kind === 'refund' ? { outRefundNo: get('退款批次号/请求号') } : {}),
        providerNo: get('支付宝交易号'),
        amountFen: positiveFen(get('商家实收（元）').replace(/^-/, ''), '商家实收'),
        feeFen: -yuanToFen(get('服务费（元）'), '服务费') || 0, // Alipay writes the fee kept as negative
        at,
      };
    }
  } catch (error) {
    if (error instanceof BillRejectedError) throw error;
    throw reject((error as Error).message);
  }
  if (!header || !ended) throw reject('the detail file is truncated (no end-of-list line)');
  if (declared.payment !== counted.payment || declared.refund !== counted.refund)
    throw reject(
      `the trailer declares ${declared.payment ?? '?'} trades and ${declared.refund ?? '?'} refunds; ${counted.payment} and ${counted.refund} were read`,
    );
  // The summary file (业务明细(汇总)), when the zip has one, must agree with the detail too.
  const summary = [...entries.entries()].find(([n]) => n.endsWith('_业务明细(汇总).csv'))?.[1];
  if (summary) await checkSummary(summary, counted, reject);
}

/**
 * Checks the summary file's counts against the detail's. Its columns are read by name from its header
 * (门店编号,门店名称,交易订单总笔数,退款订单总笔数,订单金额（元）,商家实收（元）,…,实收净额（元）, one row per store and
 * a 合计 row), so a column Alipay adds or moves does not break the check; without a 合计 row the store rows
 * are summed. A summary without those columns is not checked.
 */
async function checkSummary(
  summary: import('node:stream').Readable,
  counted: { payment: number; refund: number },
  reject: (reason: string) => BillRejectedError,
): Promise<void> {
  let header: string[] | undefined;
  const stores = { payment: 0, refund: 0 };
  let total: { payment: number; refund: number } | undefined;
  try {
    for await (const fields of csvRecords(summary, 'gbk')) {
      if (fields[0]?.startsWith('#')) continue;
      if (!header) {
        if (fields.includes('交易订单总笔数')) header = fields;
        continue;
      }
      const count = (name: string) => Number(fields[(header as string[]).indexOf(name)] ?? Number.NaN);
      const row = { payment: count('交易订单总笔数'), refund: count('退款订单总笔数') };
      if (fields[0] === '合计') total = row;
      else if (Number.isFinite(row.payment) && Number.isFinite(row.refund)) {
        stores.payment += row.payment;
        stores.refund += row.refund;
      }
    }
  } catch (error) {
    throw reject(`the summary file is unreadable (${(error as Error).message})`);
  }
  // A summary in a layout we cannot read adds no check (the detail's own trailer already guards it); one
  // we can read must agree.
  if (!header) return;
  const declared = total ?? stores;
  if (declared.payment !== counted.payment || declared.refund !== counted.refund)
    throw reject('the summary file does not agree with the detail file');
}

/** True when the bytes end with a zip end-of-central-directory record (signature 0x06054b50). */
function hasEndOfCentralDirectory(zip: Uint8Array): boolean {
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 65_535); i--)
    if (zip[i] === 0x50 && zip[i + 1] === 0x4b && zip[i + 2] === 0x05 && zip[i + 3] === 0x06) return true;
  return false;
}

/** The Alipay bills of the app `client` signs for. */
export const alipayBillSource = (client: AlipayClient): BillSource => ({
  channel: 'alipay',
  fetchBill: (day) => fetchAlipayBill((method, biz) => client.exec(method, biz), day),
});
