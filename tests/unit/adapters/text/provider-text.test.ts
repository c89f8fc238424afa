/** providerText against each provider's documented limits (lib/adapters/text/provider-text.ts cites them). */
import { describe, expect, it } from 'vitest';
import {
  ALIPAY_SUBJECT,
  WECHAT_DESCRIPTION,
  providerText,
} from '../../../../lib/adapters/text/provider-text';

describe('providerText', () => {
  it('maps what Alipay refuses in a subject (/ = &) to full-width forms and keeps the rest', () => {
    expect(providerText('a/b=c&d, "e" `f` #g 😀', ALIPAY_SUBJECT)).toBe('a／b＝c＆d, "e" `f` #g 😀');
  });

  it('makes one line of any text: CR/LF, tabs and other controls become one space', () => {
    expect(providerText('血常规\r\n尿常规\t\u0000\u2028x', WECHAT_DESCRIPTION)).toBe('血常规 尿常规 x');
  });

  it('cuts at the limit in code points, never inside a 4-byte character', () => {
    const wechat = providerText('😀'.repeat(200), WECHAT_DESCRIPTION);
    expect([...wechat]).toHaveLength(127);
    expect(wechat).toBe('😀'.repeat(127));
    expect([...providerText('𠮷'.repeat(300), ALIPAY_SUBJECT)]).toHaveLength(256);
  });

  it('never sends an empty title: blank text becomes the fallback', () => {
    expect(providerText(' \r\n ', WECHAT_DESCRIPTION)).toBe('医疗费用');
    expect(providerText('', ALIPAY_SUBJECT, '挂号')).toBe('挂号');
  });
});
