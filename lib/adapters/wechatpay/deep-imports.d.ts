/** Deep imports of wechatpay-axios-plugin (see sdk.ts); typed there from the package's own index.d.ts. */
declare module 'wechatpay-axios-plugin/lib/aes.js' {
  const value: unknown;
  export default value;
}
declare module 'wechatpay-axios-plugin/lib/formatter.js' {
  const value: unknown;
  export default value;
}
declare module 'wechatpay-axios-plugin/lib/rsa.js' {
  const value: unknown;
  export default value;
}
declare module 'wechatpay-axios-plugin/lib/wechatpay.js' {
  const value: unknown;
  export default value;
}
