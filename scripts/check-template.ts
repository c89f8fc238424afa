/** After `serverless package`: checks the CloudFormation template keeps the table's safety settings. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';

const dir = process.argv[2] ?? '.serverless-ci';
const template = JSON.parse(readFileSync(`${dir}/cloudformation-template-update-stack.json`, 'utf8')) as {
  Resources: Record<
    string,
    { Type: string; DeletionPolicy?: string; UpdateReplacePolicy?: string; Properties: Record<string, any> }
  >;
};
const table = Object.values(template.Resources).find((r) => r.Type === 'AWS::DynamoDB::Table');
const p = table?.Properties ?? {};
const checks: Array<[string, boolean]> = [
  ['a DynamoDB table', table !== undefined],
  ['DeletionPolicy Retain', table?.DeletionPolicy === 'Retain' && table.UpdateReplacePolicy === 'Retain'],
  ['deletion protection', p.DeletionProtectionEnabled === true],
  ['point-in-time recovery', p.PointInTimeRecoverySpecification?.PointInTimeRecoveryEnabled === true],
  [
    'TTL on expiresAtEpochSec',
    p.TimeToLiveSpecification?.AttributeName === 'expiresAtEpochSec' &&
      p.TimeToLiveSpecification?.Enabled === true,
  ],
  [
    'GSIs gsi1 and gsi2',
    JSON.stringify((p.GlobalSecondaryIndexes ?? []).map((g: { IndexName: string }) => g.IndexName)) ===
      '["gsi1","gsi2"]',
  ],
  [
    'nodejs22.x functions',
    Object.values(template.Resources)
      .filter((r) => r.Type === 'AWS::Lambda::Function')
      .every((f) => f.Properties.Runtime === 'nodejs22.x'),
  ],
];
// The function zips: no source map is shipped (they stay in the build folder), and no bundle is over
// 900 KB (#11: the lean clients keep every function near the DynamoDB client's own size).
const MAX_BUNDLE_BYTES = 900 * 1024;
const zips = readdirSync(dir).filter((f) => f.endsWith('.zip'));
const entries = zips.flatMap((zip) =>
  Object.entries(unzipSync(readFileSync(join(dir, zip)))).map(([name, bytes]) => ({ zip, name, bytes })),
);
const bundles = entries.filter((e) => /\.m?js$/.test(e.name));
const largest = bundles.reduce((a, b) => (b.bytes.length > a.bytes.length ? b : a), bundles[0]!);
console.log(`largest bundle: ${largest.zip} ${largest.name} ${Math.round(largest.bytes.length / 1024)} KB`);
checks.push(
  ['function zips', zips.length > 0],
  ['no source map in any zip', entries.length > 0 && !entries.some((e) => e.name.endsWith('.map'))],
  ['every function bundle at most 900 KB', bundles.every((e) => e.bytes.length <= MAX_BUNDLE_BYTES)],
);
const failed = checks.filter(([, ok]) => !ok);
for (const [name, ok] of checks) console.log(`${ok ? 'ok  ' : 'FAIL'} template has ${name}`);
if (failed.length > 0) process.exit(1);
