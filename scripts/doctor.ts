/**
 * `npm run doctor -- --stage <stage> [--offline] [--json]`: checks a stage's configuration without changing
 * anything (the checks are scripts/lib/doctor.ts). `--stage local` (the default) checks the running local
 * stack: the environment `npm start` gives the functions, as serverless.yml maps it. Any other stage reads
 * the deployed functions' environment (Lambda GetFunctionConfiguration) and the SSM parameters it names,
 * with the AWS credentials in the environment (e.g. `eval "$(aws configure export-credentials --format env)"`).
 * Exit status: 0 healthy (warnings allowed), 1 a check failed, 2 the checks could not run.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { signRequest } from '../lib/adapters/aws/sigv4';
import { awsCredentials, resolveSecret } from '../lib/config/secrets';
import { diagnose, type Finding } from './lib/doctor';
import { localFunctionEnv } from './lib/local-env';
import { LOCAL_DIR, ensureLocalSecrets } from './lib/local-secrets';

const ROOT = resolve(import.meta.dirname, '..');
const HELP = `Usage: npm run doctor -- [--stage <stage>] [--region <region>] [--offline] [--json]

Checks a stage's configuration and changes nothing:
  the variables (medpay's config schema; https and webhook paths on deployed stages),
  every secret (present, parses: PEM keys, certificates, a 32-byte APIv3 key),
  certificates not expired (a warning 30 days before), the Alipay app certificate matches its key,
  and, unless --offline, a read-only query to each provider (our signature accepted, its answer verified).

  --stage     local (default: the running npm start stack) or a deployed stage, e.g. prod
  --region    AWS region of a deployed stage (default: AWS_REGION or cn-north-1)
  --offline   skip the provider queries
  --json      print the findings as JSON`;

/** The local stack's function environment, resolved by serverless from what `npm start` passes it. */
function localEnvironment(): Record<string, string> {
  const stackFile = resolve(LOCAL_DIR, 'stack.json');
  if (!existsSync(stackFile))
    throw new Error(`No local stack: ${stackFile} is missing. Run npm start first.`);
  const stack = JSON.parse(readFileSync(stackFile, 'utf8')) as Record<string, string>;
  const passed = localFunctionEnv(ensureLocalSecrets(), {
    sandboxUrl: stack.sandboxUrl as string,
    apiUrl: stack.apiUrl as string,
    s3Url: stack.s3Url as string,
    dynamodbUrl: stack.dynamodbUrl as string,
    lambdaUrl: stack.lambdaUrl as string,
  });
  const printed = execFileSync(
    process.execPath,
    [
      resolve(ROOT, 'node_modules/osls/bin/serverless.js'),
      'print',
      '--stage',
      'local',
      '--format',
      'json',
      '--path',
      'provider.environment',
    ],
    { cwd: ROOT, env: { ...process.env, ...passed, SLS_TELEMETRY_DISABLED: '1' }, encoding: 'utf8' },
  );
  return { ...(JSON.parse(printed) as Record<string, string>), AWS_REGION: passed.AWS_REGION as string };
}

/** A deployed stage's function environment: GetFunctionConfiguration of one of its functions. */
async function deployedEnvironment(stage: string, region: string): Promise<Record<string, string>> {
  const url = new URL(
    `https://lambda.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}/2015-03-31/functions/medpay-${stage}-health/configuration`,
  );
  const headers = await signRequest(
    { method: 'GET', url, headers: {}, body: '' },
    await awsCredentials(),
    { region, service: 'lambda' },
    new Date(),
  );
  const res = await fetch(url, { headers });
  if (res.status !== 200)
    throw new Error(`Lambda GetFunctionConfiguration answered ${res.status}: ${await res.text()}`);
  const config = (await res.json()) as { Environment?: { Variables?: Record<string, string> } };
  return { ...config.Environment?.Variables, AWS_REGION: region };
}

const MARK: Record<Finding['status'], string> = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL' };

async function main() {
  const { values } = parseArgs({
    options: {
      stage: { type: 'string', default: 'local' },
      region: { type: 'string' },
      offline: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const stage = values.stage;
  const region = values.region ?? process.env.AWS_REGION ?? 'cn-north-1';
  const env = stage === 'local' ? localEnvironment() : await deployedEnvironment(stage, region);
  const findings = await diagnose(env, {
    stage,
    now: new Date(),
    offline: values.offline,
    readSecret: (ref) => resolveSecret(ref, env.AWS_REGION ?? region),
  });
  const failed = findings.filter((f) => f.status === 'fail').length;
  if (values.json) console.log(JSON.stringify({ stage, healthy: failed === 0, findings }, null, 2));
  else {
    for (const f of findings) console.log(`${MARK[f.status]} ${f.check}: ${f.detail}`);
    console.log(
      failed === 0
        ? `\nStage "${stage}" is configured correctly.`
        : `\n${failed} problem(s) on stage "${stage}".`,
    );
  }
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`doctor: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
