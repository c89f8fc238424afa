/**
 * `npm run package:check` (part of `npm test`): packages the service as a hospital would deploy it, with no
 * AWS account. 1. `serverless package --stage prod` with no parameters must fail before building and name
 * what is missing. 2. With docs/deployment.md's example parameters (the block after `<!-- example-deploy -->`) it
 * must succeed. 3. scripts/check-template.ts then checks that template and the zips.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { ownTmpdir } from './lib/own-tmpdir';

const ROOT = resolve(import.meta.dirname, '..');
const OUT = '.serverless-ci';
// serverless's and tsx's scratch files go to a TMPDIR of our own (npm runs this script without tsx's cache).
ownTmpdir('medpay-package-');

/** Runs `serverless package --stage prod` with `params`; returns its exit status and output. */
function packageProd(params: string[]) {
  const run = spawnSync('npx', ['serverless', 'package', '--stage', 'prod', '--package', OUT, ...params], {
    cwd: ROOT,
    encoding: 'utf8',
    // Its own esbuild work folder: a running npm start serves its bundles from .esbuild/.
    env: {
      ...process.env,
      SLS_TELEMETRY_DISABLED: '1',
      SLS_NOTIFICATIONS_MODE: 'off',
      MEDPAY_ESBUILD_WORK_FOLDER: '.esbuild-ci',
    },
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

/** The `--param="name=value"` arguments of docs/deployment.md's example deploy command. */
function readmeParams(): string[] {
  const readme = readFileSync(resolve(ROOT, 'docs/deployment.md'), 'utf8');
  const block = /<!-- example-deploy -->\s*```sh\n([\s\S]*?)```/.exec(readme)?.[1];
  if (!block) throw new Error('docs/deployment.md has no example deploy block after <!-- example-deploy -->');
  return [...block.matchAll(/--param="([^"]+)"/g)].map((m) => `--param=${m[1]}`);
}

const fail = (message: string, output: string): never => {
  console.error(`FAIL ${message}\n${output}`);
  process.exit(1);
};

rmSync(resolve(ROOT, OUT), { recursive: true, force: true });
const bare = packageProd([]);
const named = ['jwksUrl (AUTH_JWKS_URL)', 'no payment channel'];
const built =
  existsSync(resolve(ROOT, OUT)) && readdirSync(resolve(ROOT, OUT)).some((f) => f.endsWith('.zip'));
if (bare.status === 0 || built || !named.every((n) => bare.output.includes(n)))
  fail(
    `serverless package --stage prod without parameters must fail naming ${named.join(', ')}`,
    bare.output,
  );
console.log(`ok   package --stage prod without parameters fails before building, naming ${named.join(', ')}`);

const params = readmeParams();
const example = packageProd(params);
if (example.status !== 0)
  fail('serverless package --stage prod with the documented example parameters', example.output);
console.log(`ok   package --stage prod with docs/deployment.md's ${params.length} example parameters`);

const check = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/check-template.ts', OUT], {
  cwd: ROOT,
  stdio: 'inherit',
});
process.exit(check.status ?? 1);
