/**
 * What the national-platform gateway sends and reads, against the published field lists (not the sandbox):
 * a receiver plays the platform with the mirrored envelope keys, records each request's `data` and answers
 * with fields named as published.
 *   P1 6201 (费用明细上传): OnlinePayFeeDTO and FeeDetailDTO (fengzaiqishi11/hsa-his
 *      hsa-com/src/main/java/cn/hsa/module/outpt/fees/dto/*.java): every key medpay sends is one of theirs.
 *      begntime / feeOcurTime as "yyyy-MM-dd HH:mm:ss" (their @JsonFormat); amounts in yuan ("以元为单位",
 *      Tianjin §2.2.2).
 *   P2 6203 (医保退费): SetlRefundQueryDTO: payOrdId, appRefdSn, appRefdTime "yyyyMMddHHmmss",
 *      totlRefdAmt = psnAcctRefdAmt + fundRefdAmt + cashRefdAmt, refdType ALL | CASH | HI.
 *   P3 6301 / 6401: payOrdId, payToken, orgCodg (SetlResultQueryDTO; revokeOrder).
 *   P4 The result push: SeltSucCallbackDTO (…/dzpz/hainan): feeSumamt, ownpayAmt, psnAcctPay, fundPay,
 *      ordStas, payOrdId, medOrgOrd, hiDocSn.
 */
import { createServer, type Server } from 'node:http';
import { sm2 } from 'sm-crypto-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  open,
  seal,
  type Envelope,
  type EnvelopeConfig,
} from '../../lib/adapters/insurance/national/envelope';
import {
  ASSUMED_PLATFORM,
  compactTime,
  nationalInsuranceGateway,
} from '../../lib/adapters/insurance/national/gateway';
import { systemClock } from '../../lib/adapters/system/clock';
import { fen } from '../../lib/domain/money';

/** OnlinePayFeeDTO's fields (P1). */
const ONLINE_PAY_FEE = new Set(
  'orgCodg insureRegCode id visitId orgId insutype psnNo medOrgOrd initRxOrd rxCircFlag begntime idNo userName idType ecToken insuCode iptOtpNo atddrNo drName deptCode deptName caty mdtrtId medType feeType medfeeSumamt acctUsedFlag mainCondDscr diseCodg diseName psnSetlway chrgBchno endtime invono fulamtOwnpayAmt overlmtSelfpay preselfpayAmt inscpScpAmt oprnOprtCode oprnOprtName fpscNo latechbFlag gesoVal fetts fetusCnt pretFlag birctrlType birctrlMatnDate copFlag dscgDeptCodg dscgDeptName dscgDed dscgWay dieDate matnType extData midSetlFlag admDiagDscr admDeptCodg admDeptName admBed payAuthNo uldLatlnt mdtrtCertType diseinfoList feedetailList'.split(
    ' ',
  ),
);
/** FeeDetailDTO's fields (P1). */
const FEE_DETAIL = new Set(
  'feedetlSn mdtrtId psnNo chrgBchno diseCodg rxno rxCircFlag feeOcurTime medListCodg medinsListCodg detItemFeeSumamt cnt pric sinDosDscr usedFrquDscr prdDays medcWayDscr bilgDeptCodg bilgDeptName bilgDrCodg bilgDrName acordDeptCodg acordDeptName ordersDrCode ordersDrName hospApprFlag tcmdrugUsedWay etipFlag etipHospCode dscgTkdrugFlag matnFeeFlag initFeedetlSn drordNo medType memo extData medListName medListSpc'.split(
    ' ',
  ),
);
/** SetlRefundQueryDTO's fields (P2). */
const SETL_REFUND = new Set(
  'insureRegCode visitId settleNo payOrdId appRefdSn appRefdTime totlRefdAmt psnAcctRefdAmt fundRefdAmt cashRefdAmt ecToken refdType'.split(
    ' ',
  ),
);
const YUAN = /^(0|[1-9]\d*)\.\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

describe('the national platform calls, field by field (conformance)', () => {
  const hospitalKeys = sm2.generateKeyPairHex();
  const platformKeys = sm2.generateKeyPairHex();
  const shared = {
    appId: 'CONFAPP',
    appSecret: 's3cret',
    secretSeparator: '',
    version: '2.0.1',
    sm4KeyHex: '0123456789abcdeffedcba9876543210',
    userId: '1234567812345678',
  };
  const hospital: EnvelopeConfig = {
    ...shared,
    privateKeyHex: hospitalKeys.privateKey,
    platformPublicKeyHex: platformKeys.publicKey,
  };
  const platform: EnvelopeConfig = {
    ...shared,
    privateKeyHex: platformKeys.privateKey,
    platformPublicKeyHex: hospitalKeys.publicKey,
  };
  const received: Array<{ path: string; data: Record<string, unknown> }> = [];
  /** What the receiver answers per interface: fields named as published. */
  const answers: Record<string, Record<string, unknown>> = {
    '/6201': {
      payOrdId: 'ORD1',
      payToken: 'TOK1',
      feeSumamt: '200.00',
      fundPay: '148.00',
      psnAcctPay: '52.00',
      ownpayAmt: '0.00',
    },
    '/6203': { payOrdId: 'ORD1', refundTraceId: 'RT1', ampRefundId: 'AR1', tradeStatus: 'SUCC' },
    '/6301': {
      payOrdId: 'ORD1',
      ordStas: '1',
      fundPay: '148.00',
      psnAcctPay: '52.00',
      ownpayAmt: '0.00',
      hiDocSn: 'HI1',
    },
    '/6401': { payOrdId: 'ORD1' },
  };
  let server: Server;
  let baseUrl = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const data = open(platform, JSON.parse(Buffer.concat(chunks).toString()) as Envelope) as Record<
          string,
          unknown
        >;
        received.push({ path: req.url ?? '', data });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify(
            seal(platform, answers[req.url ?? ''] ?? {}, compactTime(new Date()), {
              code: '0',
              message: '成功',
            }),
          ),
        );
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  const gateway = () =>
    nationalInsuranceGateway(
      { ...ASSUMED_PLATFORM, baseUrl, envelope: hospital, orgCode: 'H1', orgId: 'O1' },
      systemClock,
    );
  const last = () => received.at(-1) ?? { path: '', data: {} };

  it('P1: 6201 sends only OnlinePayFeeDTO / FeeDetailDTO fields, yuan amounts and their date-time format', async () => {
    const up = await gateway().uploadFees({
      payAuthNo: 'PAN1',
      insuredRegion: '440100',
      location: '113.26,23.12',
      medOrgOrd: 'MO1',
      chargeBatchNo: 'B1',
      medicalType: '11',
      totalFen: fen(20_000),
      lines: [
        {
          lineId: 'L1',
          listCode: 'XA01',
          hospitalListCode: 'H-X1',
          name: '阿莫西林',
          quantity: '2',
          amountFen: fen(20_000),
        },
      ],
      at: new Date('2026-12-05T04:00:00Z'),
    });
    const { path, data } = last();
    expect(path).toBe('/6201');
    expect(Object.keys(data).filter((k) => !ONLINE_PAY_FEE.has(k))).toEqual([]);
    const lines = data.feedetailList as Array<Record<string, unknown>>;
    expect(Object.keys(lines[0] ?? {}).filter((k) => !FEE_DETAIL.has(k))).toEqual([]);
    expect(data).toMatchObject({
      payAuthNo: 'PAN1',
      medOrgOrd: 'MO1',
      chrgBchno: 'B1',
      insuCode: '440100',
      uldLatlnt: '113.26,23.12',
    });
    expect(data.medfeeSumamt).toBe('200.00');
    expect(lines[0]?.detItemFeeSumamt).toMatch(YUAN);
    expect(data.begntime).toBe('2026-12-05 12:00:00'); // Beijing time
    expect(lines[0]?.feeOcurTime).toMatch(DATE_TIME);
    // The split comes back in fen, read from the result push's names (the named assumption).
    expect(up).toEqual({
      payOrdId: 'ORD1',
      payToken: 'TOK1',
      split: { fundFen: 14_800, personalAccountFen: 5_200, selfPayFen: 0 },
    });
  });

  it('P2: 6203 sends SetlRefundQueryDTO fields; the total is the sum of the parts; appRefdTime yyyyMMddHHmmss', async () => {
    const refund = await gateway().refund({
      payOrdId: 'ORD1',
      payToken: 'TOK1',
      refundNo: 'RF1',
      at: new Date('2026-12-05T04:00:00Z'),
      split: { fundFen: fen(14_800), personalAccountFen: fen(5_200), selfPayFen: fen(0) },
      type: 'HI',
    });
    const { path, data } = last();
    expect(path).toBe('/6203');
    expect(Object.keys(data).filter((k) => !SETL_REFUND.has(k))).toEqual([]);
    expect(data).toMatchObject({
      payOrdId: 'ORD1',
      appRefdSn: 'RF1',
      appRefdTime: '20261205120000',
      refdType: 'HI',
      totlRefdAmt: '200.00',
      fundRefdAmt: '148.00',
      psnAcctRefdAmt: '52.00',
    });
    expect(['ALL', 'CASH', 'HI']).toContain(data.refdType);
    expect(refund).toEqual({ refundNo: 'RF1', platformRefundId: 'RT1', status: 'SUCCEEDED' });
  });

  it('P3: 6301 and 6401 name the order by payOrdId, payToken and orgCodg', async () => {
    expect(await gateway().queryOrder({ payOrdId: 'ORD1', payToken: 'TOK1' })).toMatchObject({
      ordStas: '1',
      status: 'SETTLED',
      settlementId: 'HI1',
    });
    expect(last()).toEqual({ path: '/6301', data: { payOrdId: 'ORD1', payToken: 'TOK1', orgCodg: 'H1' } });
    await gateway().revoke({ payOrdId: 'ORD1', payToken: 'TOK1' });
    expect(last()).toEqual({ path: '/6401', data: { payOrdId: 'ORD1', payToken: 'TOK1', orgCodg: 'H1' } });
  });

  it('P4: reads a result push named as SeltSucCallbackDTO, in fen', () => {
    const push = seal(
      platform,
      {
        ordStas: '1',
        callType: 'SETL',
        payOrdId: 'ORD1',
        medOrgOrd: 'MO1',
        traceTime: '20261205120000',
        feeSumamt: 200,
        ownpayAmt: 0,
        psnAcctPay: 52,
        fundPay: 148,
        hiDocSn: 'HI1',
      },
      '20261205120000',
    );
    expect(gateway().verifyResult(Buffer.from(JSON.stringify(push)))).toEqual({
      payOrdId: 'ORD1',
      medOrgOrd: 'MO1',
      ordStas: '1',
      status: 'SETTLED',
      totalFen: 20_000,
      split: { fundFen: 14_800, personalAccountFen: 5_200, selfPayFen: 0 },
      settlementId: 'HI1',
    });
  });
});
