// `postinstall`: fixes two serverless-offline 13.9.0 bugs in node_modules, by exact text, failing loudly if
// the text moved (then re-check the fixes against the new version and drop what it fixed itself).
//  1. A worker terminated on a timeout was never recreated, so every later call of that function timed out
//     too (dherault/serverless-offline#1896, fixed upstream by #1898 in 14.7.4, which needs Serverless v4):
//     HandlerRunner.cleanup() now drops its runner, so the next call starts a fresh worker.
//  2. An HTTP API (payload 2.0) invocation that failed or timed out was answered 200 with the error object as
//     the body. API Gateway answers 500 {"message":"Internal Server Error"} when the function fails, and 504
//     when it does not answer in time: so does the local stack now.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const offline = join(dirname(fileURLToPath(import.meta.url)), '../node_modules/serverless-offline/src');
const patches = [
  {
    file: 'lambda/handler-runner/HandlerRunner.js',
    from: `  cleanup() {
    // TODO console.log('handler runner cleanup')
    return this.#runner.cleanup()
  }`,
    to: `  cleanup() {
    // medpay patch (serverless-offline#1896): a cleaned-up runner is never reused.
    const runner = this.#runner
    this.#runner = null
    return runner?.cleanup()
  }`,
  },
  {
    file: 'events/http/HttpServer.js',
    from: `        if (
          endpoint.isHttpApi &&
          endpoint.payload === "2.0" &&
          (typeof result === "string" || !result.statusCode)
        ) {`,
    to: `        if (endpoint.isHttpApi && endpoint.payload === "2.0" && err) {
          // medpay patch: API Gateway's own answers to a failed or timed-out function.
          const timedOut = errorStatusCode === "504"
          result = {
            body: stringify({ message: timedOut ? "Gateway Timeout" : "Internal Server Error" }),
            headers: { "Content-Type": "application/json" },
            isBase64Encoded: false,
            statusCode: timedOut ? 504 : 500,
          }
        } else if (
          endpoint.isHttpApi &&
          endpoint.payload === "2.0" &&
          (typeof result === "string" || !result.statusCode)
        ) {`,
  },
];

for (const { file, from, to } of patches) {
  const path = join(offline, file);
  const text = readFileSync(path, 'utf8');
  if (text.includes(to)) continue;
  if (!text.includes(from)) {
    console.error(
      `medpay: cannot patch serverless-offline ${file}: the code changed. See scripts/patch-deps.mjs.`,
    );
    process.exit(1);
  }
  writeFileSync(path, text.replace(from, to));
}
