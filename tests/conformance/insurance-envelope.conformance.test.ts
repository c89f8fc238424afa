/**
 * The national medical-insurance envelope against published vectors and the provinces' published rules:
 * SM3 (GB/T 32905-2016, Annex A.1), SM4 (GB/T 32907-2016, Annex A.1), SM3withSM2 (GM/T 0003.5-2012 Annex A,
 * reproduced in OpenSSL's test/sm2_internal_test.c), and the envelope's sign string (Tianjin's
 * 两定机构→医保移动支付中心 specification §2.3.1; its example envelope in blog.csdn.net/wdsfeisng/article/details/125608019).
 */
import { createHash } from 'node:crypto';
import { sm2 } from 'sm-crypto-v2';
import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  open,
  seal,
  signString,
  sm2Sign,
  sm2Verify,
  sm4Decrypt,
  sm4Encrypt,
  EnvelopeRejectedError,
  type EnvelopeConfig,
} from '../../lib/adapters/insurance/national/envelope';

/** GM/T 0009-2012 §10: the default SM2 user id. */
const DEFAULT_USER_ID = '1234567812345678';

describe('the SM primitives, against their published vectors', () => {
  it('SM3 of "abc" is GB/T 32905-2016 A.1 (node:crypto, OpenSSL)', () => {
    expect(createHash('sm3').update('abc').digest('hex')).toBe(
      '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0',
    );
  });

  it('SM4 of GB/T 32907-2016 A.1 (key = plaintext 0123…3210) is 681EDF34…4246, and decrypts back', () => {
    const key = '0123456789abcdeffedcba9876543210';
    const block = Buffer.from(key, 'hex');
    // One block under PKCS#7 is followed by a full padding block; the first block is the published one.
    const hex = sm4Encrypt(block, key);
    expect(hex.slice(0, 32)).toBe('681EDF34D206965E86B3E94F536E4246');
    expect(hex).toMatch(/^[0-9A-F]+$/);
    expect(sm4Decrypt(sm4Encrypt('医保 6201 {"a":1}', key), key)).toBe('医保 6201 {"a":1}');
  });

  it('verifies the SM2 signature of GM/T 0003.5-2012 Annex A ("message digest", the default user id)', () => {
    const publicKey =
      '0409f9df311e5421a150dd7d161e4bc5c672179fad1833fc076bb08ff356f35020' +
      'ccea490ce26775a52dc6ea718cc1aa600aed05fbf35e084a6632f6072da9ad13';
    expect(
      sm2.getPublicKeyFromPrivateKey('3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8'),
    ).toBe(publicKey);
    const rs =
      'f5a03b0648d2c4630eeac513e1bb81a15944da3827d5b74143ac7eaceee720b3' +
      'b1b6aa29df212fd8763182bc0d421ca1bb9038fd1f7f42d4840b69c485bbc1aa';
    const signature = Buffer.from(rs, 'hex').toString('base64');
    expect(sm2Verify('message digest', signature, publicKey, DEFAULT_USER_ID)).toBe(true);
    expect(sm2Verify('message digesT', signature, publicKey, DEFAULT_USER_ID)).toBe(false);
    expect(sm2Verify('message digest', signature, publicKey, 'ALICE123@YAHOO.COM')).toBe(false);
  });

  it('signs as r‖s in Base64: 64 bytes, the length of the published envelope example`s signData', () => {
    const { privateKey, publicKey } = sm2.generateKeyPairHex();
    const signature = sm2Sign('appId=x&version=2.0.1secret', privateKey, DEFAULT_USER_ID);
    expect(Buffer.from(signature, 'base64')).toHaveLength(64);
    // The example's signData (URVQNdVN…O5w==) is 88 Base64 characters: 64 bytes.
    expect(
      Buffer.from(
        'URVQNdVNn5mz2EhKZhLTlXNwAWTSncFoSe8Ilx7jhn81eABJ46sdRRN1ZiAiQjPUTixG9bwqEhiJupHRGmyO5w==',
        'base64',
      ),
    ).toHaveLength(64);
    expect(sm2Verify('appId=x&version=2.0.1secret', signature, publicKey, DEFAULT_USER_ID)).toBe(true);
  });
});

describe('the envelope', () => {
  const hospital = sm2.generateKeyPairHex();
  const config = (overrides: Partial<EnvelopeConfig> = {}): EnvelopeConfig => ({
    appId: '43AF047BBA47FC8A1AE8EFB2XXXXXXXX',
    appSecret: 'app-secret',
    secretSeparator: '',
    version: '2.0.1',
    sm4KeyHex: '0123456789abcdeffedcba9876543210',
    privateKeyHex: hospital.privateKey,
    // The round trip plays both sides with one key pair; a real platform signs with its own.
    platformPublicKeyHex: hospital.publicKey,
    userId: DEFAULT_USER_ID,
    ...overrides,
  });
  // The published example's fields (§2.3.1 example envelope).
  const example = {
    appId: '43AF047BBA47FC8A1AE8EFB2XXXXXXXX',
    data: {
      userName: '测试',
      phoneNumber: '13763873033',
      idType: '01',
      idNo: '350181199011193519',
      appUserId: 'o8z4C5avQXqC0aWFPf1Mzu6D7WCQ_bd',
      appId: '43AF047BBA47FC8A1AE8EFB2XXXXXXXX',
    },
    encType: 'SM4',
    signData: 'not signed',
    signType: 'SM2',
    timestamp: '20200207175759',
    version: '2.0.1',
  };

  it('signs every field but signData, encData and extra, in key order, data with sorted keys, then the secret (§2.3.1.2)', () => {
    expect(signString({ ...example, encData: 'ABC', extra: { x: 1 } }, config())).toBe(
      'appId=43AF047BBA47FC8A1AE8EFB2XXXXXXXX' +
        '&data={"appId":"43AF047BBA47FC8A1AE8EFB2XXXXXXXX","appUserId":"o8z4C5avQXqC0aWFPf1Mzu6D7WCQ_bd","idNo":"350181199011193519","idType":"01","phoneNumber":"13763873033","userName":"测试"}' +
        '&encType=SM4&signType=SM2&timestamp=20200207175759&version=2.0.1app-secret',
    );
    // The EPC family's separator, where a province uses it (configuration, not a rule of its own).
    expect(signString(example, config({ secretSeparator: '&key=' }))).toMatch(
      /&version=2\.0\.1&key=app-secret$/,
    );
  });

  it('leaves empty values out of the signed JSON ("空值不参与签名"), at every depth', () => {
    expect(canonicalJson({ b: '', a: 1, c: null, d: {}, e: [], f: { z: [], y: 'y' } })).toBe(
      '{"a":1,"f":{"y":"y"}}',
    );
  });

  it('seals data into encData under SM4 and a signature over the clear data, and opens it back', () => {
    const data = { payOrdId: 'ORD1', medfeeSumamt: '12.34', feedetailList: [{ amt: '12.34' }], note: '' };
    const sealed = seal(config(), data, '20261205120000');
    expect(sealed).not.toHaveProperty('data');
    expect(sealed.encData).toMatch(/^[0-9A-F]+$/);
    expect(Buffer.from(sealed.signData, 'base64')).toHaveLength(64);
    expect(open(config(), sealed)).toEqual({
      feedetailList: [{ amt: '12.34' }],
      medfeeSumamt: '12.34',
      payOrdId: 'ORD1',
    });
  });

  it('refuses an envelope that was tampered with, signed by another key, or meant for another app', () => {
    const sealed = seal(config(), { payOrdId: 'ORD1', totlRefdAmt: '1.00' }, '20261205120000');
    const other = seal(
      config({ privateKeyHex: sm2.generateKeyPairHex().privateKey }),
      { payOrdId: 'ORD1' },
      '20261205120000',
    );
    const forged = seal(config(), { payOrdId: 'ORD1', totlRefdAmt: '100.00' }, '20261205120000');
    expect(() => open(config(), { ...sealed, encData: forged.encData })).toThrow(EnvelopeRejectedError);
    expect(() => open(config(), { ...sealed, timestamp: '20261205120001' })).toThrow(EnvelopeRejectedError);
    expect(() => open(config(), other)).toThrow(EnvelopeRejectedError);
    expect(() => open(config(), { ...sealed, encData: `${sealed.encData?.slice(0, -2) ?? ''}00` })).toThrow(
      EnvelopeRejectedError,
    );
    expect(() => open(config({ appId: 'ANOTHER' }), sealed)).toThrow(EnvelopeRejectedError);
  });
});
