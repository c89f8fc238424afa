/**
 * wechatpay-axios-plugin, imported module by module. Its index.js assigns `module.exports.default` on a
 * class whose static `default` is a getter: harmless in sloppy CommonJS, a TypeError once esbuild bundles
 * it into a strict ES module (as every Lambda here is). The lib/ modules carry the same code.
 */
import type * as Plugin from 'wechatpay-axios-plugin';
import AesImpl from 'wechatpay-axios-plugin/lib/aes.js';
import FormatterImpl from 'wechatpay-axios-plugin/lib/formatter.js';
import RsaImpl from 'wechatpay-axios-plugin/lib/rsa.js';
import WechatpayImpl from 'wechatpay-axios-plugin/lib/wechatpay.js';

export const Aes = AesImpl as typeof Plugin.Aes;
export const Formatter = FormatterImpl as typeof Plugin.Formatter;
export const Rsa = RsaImpl as typeof Plugin.Rsa;
export const Wechatpay = WechatpayImpl as typeof Plugin.Wechatpay;
