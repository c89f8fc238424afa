/** The payer fields of a WeChat mixed order, against WeChat's published example and GB 11643. */
import { constants, generateKeyPairSync, privateDecrypt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { eighteenDigitId, idDigest, oaepEncrypt } from '../../../../lib/adapters/wechatpay/med-ins-orders';

describe('WeChat 医保 payer identity', () => {
  it('id_digest of 44030019000101123x is 09eb26e839ff3a2e3980352ae45ef09e (W1 §5: letters upper-cased first)', () => {
    expect(idDigest('44030019000101123x')).toBe('09eb26e839ff3a2e3980352ae45ef09e');
    expect(idDigest('44030019000101123X')).toBe('09eb26e839ff3a2e3980352ae45ef09e');
  });

  it('converts a 15-digit ID number to 18 digits (GB 11643-1999: century 19, MOD 11-2 check digit)', () => {
    // 110105491231002 → 11010519491231002X (the standard's own worked example).
    expect(eighteenDigitId('110105491231002')).toBe('11010519491231002X');
    expect(eighteenDigitId('11010519491231002x')).toBe('11010519491231002X');
  });

  it('encrypts with RSA-OAEP (SHA-1, MGF1): the platform private key decrypts it', () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const cipher = oaepEncrypt('张三', publicKey);
    const plain = privateDecrypt(
      { key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
      Buffer.from(cipher, 'base64'),
    );
    expect(plain.toString('utf8')).toBe('张三');
  });
});
