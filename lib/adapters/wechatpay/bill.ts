/**
 * WeChat Pay's daily trade bill: `GET /v3/bill/tradebill` (bill_type=ALL, tar_type=GZIP) gives a download
 * URL and `hash_value`, the SHA-1 of the ORIGINAL bill: "原始账单(gzip需要解压缩)的摘要值"
 * (pay.weixin.qq.com/doc/v3/merchant/4012556654, 应答参数 hash_value). So the hash covers the decompressed
 * bytes exactly as WeChat wrote them, UTF-8 BOM and CRLF line ends included, never the gzip. The file is CSV,
 * fields "使用英文逗号“,” 间隔", and every detail and summary field starts with one extra character, a backtick
 * ("明细数据和汇总数据每个字段前会增加1个字符", pay.weixin.qq.com/docs/merchant/products/bill-download/format-trade.html;
 * the character is ` in 示例文件). A field holding a comma, quote or line break (商品名称 and 商户数据包 are the
 * HIS's free text) is read as RFC 4180 quoted, backtick inside the quotes: not published, see csvRecords.
 * then a summary header (总交易单数,…) and one summary row. Refund rows carry 交易状态 REFUND with the
 * original order's numbers plus 微信退款单号/商户退款单号/退款金额. The lines are yielded as they are read; the
 * SHA-1 and the summary count are checked at the end, and a mismatch rejects the whole bill (the caller
 * posts nothing from a rejected bill).
 */
import { createHash } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { BillNotAvailableError, BillRejectedError, type BillLine } from '../../domain/finance';
import { ProviderUnavailableError } from '../../domain/errors';
import { csvRecords, positiveFen, yuanToFen } from '../bills/lines';
import { wechatFailed, wechatpayApi, type WechatApi, type WechatpayConfig } from './client';
import type { BillSource } from '../../ports/bill-source';
import type { Clock } from '../../ports/clock';

/**
 * Fetches and parses the bill of a Beijing business day: the merchant's own, or with `subMchId` one
 * sub-merchant's (the partner trade bill takes `sub_mchid`, "不填则默认是服务商及所有子商户"; WX-BILL,
 * pay.weixin.qq.com/docs/partner/apis/partner-jsapi-payment/get-trade-bill.html).
 */
export async function fetchWechatBill(
  api: WechatApi,
  day: string,
  subMchId?: string,
): Promise<AsyncIterable<BillLine>> {
  const sub = subMchId ? `&sub_mchid=${encodeURIComponent(subMchId)}` : '';
  const r = await api(
    'tradebill',
    'GET',
    `/v3/bill/tradebill?bill_date=${day}${sub}&bill_type=ALL&tar_type=GZIP`,
  );
  if (wechatFailed(r)) {
    if (r.code === 'NO_STATEMENT_EXIST' || r.code === 'STATEMENT_CREATING')
      throw new BillNotAvailableError('wechatpay', day);
    throw new ProviderUnavailableError(`WeChat Pay bill query failed: ${r.code ?? r.status}.`, {
      channel: 'wechatpay',
    });
  }
  // The download URL is WeChat's own (api.mch.weixin.qq.com/v3/billdownload/file?token=…); only its path
  // and query are used, against the configured base, so the signed request goes nowhere else.
  const download = new URL(String(r.data.download_url));
  const file = await api.download('billdownload', `${download.pathname}${download.search}`);
  return parseWechatBillGzip(file, String(r.data.hash_value), day, subMchId);
}

/**
 * Parses the gzipped CSV and verifies `hash_value` over the decompressed bytes; any damage is a
 * BillRejectedError. Only the lines of one merchant are yielded: `subMchId`'s, or the merchant's own (特约商户号
 * empty or 0), since a service provider's own bill also lists every sub-merchant's trades (WX-BILL).
 */
export async function* parseWechatBillGzip(
  gz: Uint8Array,
  sha1: string,
  day: string,
  subMchId?: string,
): AsyncIterable<BillLine> {
  const reject = (reason: string) => new BillRejectedError('wechatpay', day, reason);
  const hash = createHash('sha1');
  const original = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
  const gunzip = createGunzip().on('error', (error) => original.destroy(error));
  Readable.from([Buffer.from(gz)])
    .pipe(gunzip)
    .pipe(original);
  let header: string[] | undefined;
  let rows = 0;
  let declared: number | undefined;
  let inSummary = false;
  try {
    for await (const record of csvRecords(original, 'utf8')) {
      // One backtick before every detail and summary field (see above); the header has none.
      const fields = record.map((f) => f.replace(/^`/, ''));
      if (!header) {
        if (fields[0] !== '交易时间') throw new Error('the header is missing');
        header = fields;
        continue;
      }
      if (fields[0] === '总交易单数') {
        inSummary = true;
        continue;
      }
      if (inSummary) {
        declared = Number(fields[0]);
        continue;
      }
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
      rows += 1;
      const sub = get('特约商户号');
      if (subMchId ? sub !== subMchId : sub !== '' && sub !== '0') continue;
      const refund = get('交易状态') === 'REFUND';
      const at = new Date(`${get('交易时间').replace(' ', 'T')}+08:00`);
      if (Number.isNaN(at.getTime())) throw new Error(`交易时间 ${get('交易时间')} is not a time`);
      yield {
        kind: refund ? 'refund' : 'payment',
        outTradeNo: get('商户订单号'),
        ...(refund ? { outRefundNo: get('商户退款单号') } : {}),
        providerNo: refund ? get('微信退款单号') : get('微信订单号'),
        amountFen: positiveFen(refund ? get('退款金额') : get('应结订单金额'), 'amount'),
        feeFen: yuanToFen(get('手续费'), '手续费'),
        at,
      };
    }
  } catch (error) {
    throw reject((error as Error).message);
  }
  if (hash.digest('hex') !== sha1.toLowerCase())
    throw reject('the SHA-1 of the decompressed bill does not match hash_value');
  if (!header || declared === undefined) throw reject('the file is truncated (no summary)');
  if (declared !== rows) throw reject(`the summary declares ${declared} rows; ${rows} were read`);
}

/** The WeChat Pay bills of the merchant `config` signs for. */
export function wechatBillSource(config: WechatpayConfig, clock: Clock, subMchId?: string): BillSource {
  const api = wechatpayApi(config, () => clock.now());
  return { channel: 'wechatpay', fetchBill: (day) => fetchWechatBill(api, day, subMchId) };
}
