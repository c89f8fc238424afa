// `postinstall` (and `prestart`/`pretest` on an installed node_modules): fixes two serverless-offline 13.9.0
// bugs, trims its workers' memory and fixes a serverless-esbuild 1.57.2 bug in node_modules, by exact text,
// failing loudly if the text moved (then re-check the fixes against the new version and drop what it fixed).
//  1. A worker terminated on a timeout was never recreated, so every later call of that function timed out
//     too (dherault/serverless-offline#1896, fixed upstream by #1898 in 14.7.4, which needs Serverless v4):
//     HandlerRunner.cleanup() now drops its runner, so the next call starts a fresh worker.
//  2. An HTTP API (payload 2.0) invocation that failed or timed out was answered 200 with the error object as
//     the body. API Gateway answers 500 {"message":"Internal Server Error"} when the function fails, and 504
//     when it does not answer in time: so does the local stack now.
//  3. Each function's worker thread keeps V8's default young generation (up to 16 MB semi-spaces): with all
//     41 functions warm the stack held 1,587 MB (bench (j)), over #13's 1.5 GB. Workers now get a 2 MB young
//     generation (Node's Worker resourceLimits), which measured 1,413 MB; only GC frequency changes.
//  4. serverless-esbuild stages every zip in a folder under os.tmpdir() and releases it with a non-recursive
//     remove, which always fails (the folder is full) and is swallowed: every `serverless package` left one
//     folder per function in /tmp (floydspace/serverless-esbuild#589). It is removed recursively now.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const modules = join(dirname(fileURLToPath(import.meta.url)), '../node_modules');
const patches = [
  {
    file: 'serverless-offline/src/lambda/handler-runner/HandlerRunner.js',
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
    file: 'serverless-offline/src/events/http/HttpServer.js',
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
  {
    file: 'serverless-offline/src/lambda/handler-runner/worker-thread-runner/WorkerThreadRunner.js',
    from: `        // don't pass process.env from the main process!
        env,
        workerData: {`,
    to: `        // don't pass process.env from the main process!
        env,
        resourceLimits: { maxYoungGenerationSizeMb: 2 }, // medpay patch: the whole stack under 1.5 GB warm
        workerData: {`,
  },
  {
    file: 'serverless-esbuild/dist/utils/effect-fs.js',
    from: `const safeFileRemove = (p) => FS.remove(p).pipe(`,
    to: `const safeFileRemove = (p) => FS.remove(p, { recursive: true }).pipe( /* medpay patch: serverless-esbuild#589 */`,
  },
];

for (const { file, from, to } of patches) {
  const path = join(modules, file);
  const text = readFileSync(path, 'utf8');
  if (text.includes(to)) continue;
  if (!text.includes(from)) {
    console.error(`medpay: cannot patch ${file}: the code changed. See scripts/patch-deps.mjs.`);
    process.exit(1);
  }
  writeFileSync(path, text.replace(from, to));
}
