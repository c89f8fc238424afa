/**
 * After `serverless package`: checks the CloudFormation template keeps the table's safety settings, least
 * privilege (#12), the alarms, dead-letter queues and access logs, and the bundles' size; prints the IAM
 * matrix (function → role → actions). `--matrix` prints only the matrix.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';

const dir = process.argv[2] ?? '.serverless-ci';
type Resource = {
  Type: string;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  Properties: Record<string, any>;
};
const template = JSON.parse(readFileSync(`${dir}/cloudformation-template-update-stack.json`, 'utf8')) as {
  Resources: Record<string, Resource>;
};
const resources = Object.entries(template.Resources);
const ofType = (type: string) => resources.filter(([, r]) => r.Type === type);
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

// Least privilege: each function's role, and what that role allows.
interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}
const statementsOf = (role: string): Statement[] =>
  (template.Resources[role]?.Properties.Policies ?? []).flatMap(
    (p: { PolicyDocument: { Statement: Statement[] } }) => p.PolicyDocument.Statement,
  );
const actions = (role: string) => statementsOf(role).flatMap((st) => [st.Action].flat());
/** The SSM parameter names a role can read (the last path segment). */
const secretsOf = (role: string) =>
  statementsOf(role)
    .filter((st) => [st.Action].flat().includes('ssm:GetParameters'))
    .flatMap((st) => [st.Resource].flat())
    .map((r) => JSON.stringify(r).match(/parameter\/[^"]*\/([^/"]+)"/)?.[1] ?? JSON.stringify(r));
const functions = ofType('AWS::Lambda::Function').map(([id, f]) => ({
  name: id.replace(/LambdaFunction$/, ''),
  role: (f.Properties.Role as { 'Fn::GetAtt'?: string[] })['Fn::GetAtt']?.[0] ?? '?',
}));
const fnRole = (name: string) => functions.find((f) => f.name === name)?.role ?? '?';
const dynamoWrites = (role: string) =>
  actions(role).some((a) => ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'].includes(a));
const readsSecret = (role: string, pattern: RegExp) => secretsOf(role).some((s) => pattern.test(s));
const allActions = ofType('AWS::IAM::Role').flatMap(([id]) => actions(id));
checks.push(
  [
    'one role per function group, and no shared default role',
    !template.Resources.IamRoleLambdaExecution &&
      functions.every((f) => f.role !== '?' && f.role !== 'IamRoleLambdaExecution'),
  ],
  [
    'no DeleteItem, no wildcard action',
    !allActions.some((a) => a === 'dynamodb:DeleteItem' || a.endsWith(':*') || a === '*'),
  ],
  [
    'no role reads every secret (no parameter wildcard)',
    ofType('AWS::IAM::Role').every(([id]) => secretsOf(id).every((s) => !s.includes('*'))),
  ],
  [
    'health and openapi: no DynamoDB, no secret',
    ['Health', 'Openapi'].every(
      (f) => !actions(fnRole(f)).some((a) => a.startsWith('dynamodb:') || a.startsWith('ssm:')),
    ),
  ],
  [
    "webhooks read no private key and no other channel's secret",
    !readsSecret(fnRole('AlipayWebhook'), /private-key|wechatpay|app-cert|root-cert|jwt|insurance|courier/) &&
      !readsSecret(fnRole('WechatpayWebhook'), /private-key|alipay|jwt|insurance|courier/),
  ],
  [
    'webhooks read their own verification keys',
    readsSecret(fnRole('AlipayWebhook'), /alipay-public-key/) &&
      readsSecret(fnRole('WechatpayWebhook'), /wechatpay-apiv3-key/),
  ],
  [
    'reads are read-only (GET routes, whoami)',
    ['GetPayment', 'GetRefund', 'GetVisit', 'GetCopyRequest', 'GetReconciliation', 'Whoami'].every(
      (f) => !dynamoWrites(fnRole(f)),
    ),
  ],
  [
    'only the statement functions reach the statements bucket',
    functions.every(
      (f) =>
        actions(f.role).some((a) => a.startsWith('s3:')) ===
        ['GetStatement', 'FinanceDaily'].includes(f.name),
    ),
  ],
);

// Operations: dead letters on every rule target, alarms, access logs.
const rules = ofType('AWS::Events::Rule');
const alarms = ofType('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
const alarmOn = (metric: string, extra: (a: Record<string, any>) => boolean = () => true) =>
  alarms.some((a) => a.MetricName === metric && extra(a) && (a.AlarmActions ?? []).length > 0);
const everyFunction = (metric: string) =>
  functions.every((f) =>
    alarmOn(metric, (a) =>
      JSON.stringify(a.Dimensions).toLowerCase().endsWith(`-${f.name.toLowerCase()}"}]`),
    ),
  );
checks.push(
  [
    'fourteen EventBridge rules (the refunds rule carries discharge settlements on; receipts follow payments and refunds, and a schedule retries them; complaints are read on notice and re-read hourly), each target with a retry policy and a dead-letter queue',
    rules.length === 14 &&
      rules.every(([, r]) =>
        r.Properties.Targets.every((t: Record<string, unknown>) => t.DeadLetterConfig && t.RetryPolicy),
      ),
  ],
  [
    'event functions and the payment-code follow-up (invoked asynchronously) send failed invocations to the dead-letter queue',
    ofType('AWS::Lambda::EventInvokeConfig').length ===
      new Set(
        rules.flatMap(([, r]) =>
          r.Properties.Targets.map((t: Record<string, unknown>) => JSON.stringify(t.Arn)),
        ),
      ).size +
        1 &&
      ofType('AWS::Lambda::EventInvokeConfig').some(([, c]) =>
        JSON.stringify(c.Properties.FunctionName).includes('FollowPaymentCodeLambdaFunction'),
      ),
  ],
  [
    "alarms: integrity alerts, rejected notifications, failed settlements, reconciliation, HIS callbacks, stuck insured payments, hospitals' Alipay authorisations",
    [
      'IntegrityAlerts',
      'NotificationsRejected',
      'SettlementsFailed',
      'ReconciliationDiscrepancies',
      'ReconciliationsFailed',
      'CallbacksFailed',
      'InsuredPaymentsNeedingAttention',
      'RefundsOverdue',
      'DisputesOverdue',
      'AppAuthorisationsRevoked',
      'AppAuthorisationRefreshRefused',
    ].every((m) => alarmOn(m)),
  ],
  [
    'alarms: dead-letter queue depth, outbox lag, DynamoDB throttles',
    alarmOn('ApproximateNumberOfMessagesVisible') &&
      alarmOn('OutboxLagSeconds') &&
      alarmOn('ReadThrottleEvents') &&
      alarmOn('WriteThrottleEvents'),
  ],
  ['alarms: errors and throttles of every function', everyFunction('Errors') && everyFunction('Throttles')],
  ['an SNS topic for the alarms', ofType('AWS::SNS::Topic').length === 1],
  [
    'HTTP API access logs',
    ofType('AWS::ApiGatewayV2::Stage').every(([, s]) => s.Properties.AccessLogSettings?.DestinationArn),
  ],
  [
    'statements bucket private',
    ofType('AWS::S3::Bucket').some(
      ([id, b]) =>
        id === 'StatementsBucket' &&
        Object.values(b.Properties.PublicAccessBlockConfiguration ?? {}).every((v) => v === true) &&
        Object.keys(b.Properties.PublicAccessBlockConfiguration ?? {}).length === 4,
    ),
  ],
);

const matrix = [...new Set(functions.map((f) => f.role))].map((role) => {
  const members = functions.filter((f) => f.role === role).map((f) => f.name);
  const grants = [...new Set(actions(role).filter((a) => !a.startsWith('logs:') && !a.startsWith('xray:')))];
  const secrets = secretsOf(role);
  return `${role} (${members.join(', ')}):\n    ${grants.join(' ') || 'logs and X-Ray only'}${secrets.length ? `\n    secrets: ${secrets.join(', ')}` : ''}`;
});
console.log(
  `IAM matrix (every role also writes its functions' logs and X-Ray segments):\n  ${matrix.join('\n  ')}`,
);

const failed = checks.filter(([, ok]) => !ok);
for (const [name, ok] of checks) console.log(`${ok ? 'ok  ' : 'FAIL'} template has ${name}`);
if (failed.length > 0) process.exit(1);
