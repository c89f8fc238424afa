/**
 * Least privilege (#12): one IAM role per group of functions, granting only what those functions call.
 * serverless.yml names each function's `role`; this file says what each role may do. Secrets are granted
 * by the SSM parameter names the functions' environment actually points at (`ssm:/medpay/<stage>/…`), so
 * a role can read exactly the keys its functions resolve and nothing else under /medpay/<stage>/.
 * `scripts/check-template.ts` checks the result and prints the matrix.
 */
'use strict';

/** DynamoDB: reads; writes add PutItem/UpdateItem/ConditionCheckItem (TransactWriteItems needs each). Never DeleteItem. */
const DYNAMO_READ = ['dynamodb:GetItem', 'dynamodb:Query'];
const DYNAMO_WRITE = [
  ...DYNAMO_READ,
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:ConditionCheckItem',
];

/** The environment variables holding secret references, by what they are for. */
const SECRETS = {
  /** The HS256 token secret (only set, and only read, when AUTH_MODE=hs256). */
  auth: ['AUTH_HS256_SECRET'],
  /** Calling Alipay: the app key signs; Alipay's key or certificates verify its answers. */
  alipayClient: [
    'ALIPAY_APP_PRIVATE_KEY',
    'ALIPAY_PUBLIC_KEY',
    'ALIPAY_APP_CERT',
    'ALIPAY_PUBLIC_CERT',
    'ALIPAY_ROOT_CERT',
  ],
  /** Verifying Alipay's notifications: Alipay's public key or public certificate only. */
  alipayVerify: ['ALIPAY_PUBLIC_KEY', 'ALIPAY_PUBLIC_CERT'],
  /** Calling WeChat Pay: the merchant key signs; the platform keys verify; the APIv3 key decrypts. */
  wechatpayClient: ['WECHATPAY_MERCHANT_PRIVATE_KEY', 'WECHATPAY_APIV3_KEY', 'WECHATPAY_PLATFORM_KEYS'],
  /** Verifying WeChat Pay's notifications: the platform keys and the APIv3 key only. */
  wechatpayVerify: ['WECHATPAY_APIV3_KEY', 'WECHATPAY_PLATFORM_KEYS'],
  /** The national insurance platform's envelope keys (insured payments, visits' insurance). */
  insurancePlatform: ['INSURANCE_PLATFORM_KEYS'],
  courier: ['COURIER_CALLBACK_SECRET'],
  /** The key HIS endpoints' secrets are derived from. */
  callbacks: ['CALLBACK_SIGNING_KEY'],
};
const CHANNEL_CLIENTS = [...SECRETS.alipayClient, ...SECRETS.wechatpayClient];

/**
 * Role → what it may do. `dynamo`: none, 'read' or 'write'; `secrets`: environment variables whose ssm:
 * references it may read; `hospitalSecrets`: registered hospitals' own credentials under HOSPITAL_SECRETS
 * ('read' for every role that calls Alipay for a hospital, 'write' for onboarding); `statements`: the statements bucket; `publish`: events:PutEvents on the bus;
 * `deadLetters`: the event functions send their failed async invocations to the dead-letter queue;
 * `invoke`: the functions (by their serverless.yml key) it may invoke.
 */
const ROLES = {
  /** /health and /openapi.json: logs only. */
  StaticRole: { dynamo: 'none', secrets: [] },
  /** Authenticated reads. */
  ReaderRole: { dynamo: 'read', secrets: SECRETS.auth },
  /** Authenticated writes that call no provider (visit charges, copy-request steps). */
  RecorderRole: { dynamo: 'write', secrets: SECRETS.auth },
  /** The courier's signed delivery callback. */
  CourierRole: { dynamo: 'write', secrets: [...SECRETS.auth, ...SECRETS.courier] },
  /** Payments and refunds through the API. */
  PaymentsRole: {
    dynamo: 'write',
    secrets: [...SECRETS.auth, ...CHANNEL_CLIENTS, ...SECRETS.insurancePlatform],
    /** POST /payments hands an undecided payment code to its follow-up (an asynchronous invocation). */
    invoke: ['followPaymentCode'],
  },
  /** Payment links (public: no token, so no auth secret): orders a link's payment at its provider. */
  PayLinkRole: { dynamo: 'write', secrets: CHANNEL_CLIENTS },
  /** Jobs and event handlers that query, close or refund at the providers. */
  PaymentJobsRole: {
    dynamo: 'write',
    secrets: [...CHANNEL_CLIENTS, ...SECRETS.insurancePlatform],
    deadLetters: true,
  },
  /** Pay-later visits: credit at the providers and the national insurance platform. */
  VisitsRole: {
    dynamo: 'write',
    secrets: [...SECRETS.auth, ...CHANNEL_CLIENTS, ...SECRETS.insurancePlatform],
  },
  VisitJobsRole: {
    dynamo: 'write',
    secrets: [...CHANNEL_CLIENTS, ...SECRETS.insurancePlatform],
    deadLetters: true,
  },
  AlipayWebhookRole: { dynamo: 'write', secrets: SECRETS.alipayVerify },
  WechatpayWebhookRole: { dynamo: 'write', secrets: SECRETS.wechatpayVerify },
  /** The outbox relay: reads and marks the outbox, publishes to the bus. */
  RelayRole: { dynamo: 'write', secrets: [], publish: true, deadLetters: true },
  /** POST /reconciliations: downloads the providers' bills. */
  ReconcileRole: { dynamo: 'write', secrets: [...SECRETS.auth, ...CHANNEL_CLIENTS] },
  /** /notification-endpoints (admin): reveals endpoints' secrets, so reads the signing key. */
  CallbackAdminRole: { dynamo: 'write', secrets: [...SECRETS.auth, ...SECRETS.callbacks] },
  /** Queues and sends signed callbacks to the HIS endpoints. */
  CallbacksRole: { dynamo: 'write', secrets: SECRETS.callbacks, deadLetters: true },
  /**
   * The platform operator's hospital registry: reads and writes the table (the registry's `P#` items), calls
   * Alipay to exchange a merchant's app_auth_code, and writes the hospital's token under its SSM path.
   */
  OperatorRole: {
    dynamo: 'write',
    secrets: [...SECRETS.auth, ...SECRETS.alipayClient],
    hospitalSecrets: 'write',
  },
  /** The daily Alipay authorisation check: queries and refreshes the hospitals' tokens with the platform app. */
  AppAuthJobRole: {
    dynamo: 'write',
    secrets: SECRETS.alipayClient,
    hospitalSecrets: 'write',
    deadLetters: true,
  },
  /** GET /statements/{date}: reads the journal, writes and presigns the file. */
  StatementRole: { dynamo: 'read', secrets: SECRETS.auth, statements: true },
  /** The daily finance job: bills, reconciliation and statement files. */
  FinanceDailyRole: { dynamo: 'write', secrets: CHANNEL_CLIENTS, statements: true, deadLetters: true },
};

/** `ssm:/a` or `serial=ssm:/a,serial=ssm:/b` (WECHATPAY_PLATFORM_KEYS) → the SSM parameter names. */
const ssmNames = (value) =>
  String(value ?? '')
    .split(',')
    .map((part) => part.replace(/^[A-Za-z0-9_]+=/, ''))
    .filter((ref) => ref.startsWith('ssm:'))
    .map((ref) => ref.slice('ssm:'.length));

const sub = (s) => ({ 'Fn::Sub': s });

module.exports = async ({ resolveConfigurationProperty, resolveVariable }) => {
  const service = await resolveVariable('self:service');
  const stage = await resolveVariable('sls:stage');
  const environment = (await resolveConfigurationProperty(['provider', 'environment'])) ?? {};
  const functions = (await resolveConfigurationProperty(['functions'])) ?? {};
  const eventBusName = await resolveVariable('param:eventBusName');

  const byRole = {};
  for (const [key, fn] of Object.entries(functions)) {
    if (!ROLES[fn.role])
      throw new Error(`function ${key}: role must be one of ${Object.keys(ROLES).join(', ')}`);
    (byRole[fn.role] ??= []).push(key);
  }

  const table = [
    { 'Fn::GetAtt': ['MedpayTable', 'Arn'] },
    { 'Fn::Join': ['/', [{ 'Fn::GetAtt': ['MedpayTable', 'Arn'] }, 'index/*']] },
  ];
  const resources = {};
  for (const [role, grants] of Object.entries(ROLES)) {
    const members = byRole[role] ?? [];
    if (members.length === 0) continue;
    const statements = [
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: members.map((key) =>
          sub(
            `arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:/aws/lambda/${service}-${stage}-${key}:*`,
          ),
        ),
      },
      // Active tracing (provider.tracing.lambda) sends segments through the X-Ray daemon.
      { Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: '*' },
    ];
    if (grants.dynamo !== 'none')
      statements.push({
        Effect: 'Allow',
        Action: grants.dynamo === 'read' ? DYNAMO_READ : DYNAMO_WRITE,
        Resource: table,
      });
    // The HS256 secret is granted only when tokens are HS256 (with the default jwks mode no role reads it).
    const used = grants.secrets.filter(
      (name) => name !== 'AUTH_HS256_SECRET' || environment.AUTH_MODE === 'hs256',
    );
    const names = [...new Set(used.flatMap((name) => ssmNames(environment[name])))].sort();
    if (names.length > 0)
      statements.push({
        Effect: 'Allow',
        Action: ['ssm:GetParameters'], // secrets are read in batches (lib/config/secrets.ts)
        Resource: names.map((name) =>
          sub(`arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter${name}`),
        ),
      });
    const hospitalSecrets =
      grants.hospitalSecrets ?? (grants.secrets.includes('ALIPAY_APP_PRIVATE_KEY') ? 'read' : undefined);
    const hospitalPath = ssmNames(environment.HOSPITAL_SECRETS)[0];
    if (hospitalSecrets && hospitalPath)
      statements.push({
        Effect: 'Allow',
        Action: hospitalSecrets === 'write' ? ['ssm:GetParameter', 'ssm:PutParameter'] : ['ssm:GetParameter'],
        Resource: [
          sub(`arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter${hospitalPath}/*`),
        ],
      });
    if (grants.invoke)
      statements.push({
        Effect: 'Allow',
        Action: ['lambda:InvokeFunction'],
        Resource: grants.invoke.map((key) =>
          sub(
            `arn:\${AWS::Partition}:lambda:\${AWS::Region}:\${AWS::AccountId}:function:${service}-${stage}-${key}`,
          ),
        ),
      });
    if (grants.statements)
      statements.push({
        Effect: 'Allow',
        Action: ['s3:PutObject', 's3:GetObject', 's3:AbortMultipartUpload'],
        Resource: [sub('${StatementsBucket.Arn}/statements/*')],
      });
    if (grants.publish)
      statements.push({
        Effect: 'Allow',
        Action: ['events:PutEvents'],
        Resource: [
          sub(`arn:\${AWS::Partition}:events:\${AWS::Region}:\${AWS::AccountId}:event-bus/${eventBusName}`),
        ],
      });
    if (grants.deadLetters)
      statements.push({
        Effect: 'Allow',
        Action: ['sqs:SendMessage'],
        Resource: [{ 'Fn::GetAtt': ['EventsDeadLetterQueue', 'Arn'] }],
      });
    resources[role] = {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com'] }, Action: ['sts:AssumeRole'] },
          ],
        },
        Policies: [
          {
            PolicyName: `${service}-${stage}-${role}`,
            PolicyDocument: { Version: '2012-10-17', Statement: statements },
          },
        ],
      },
    };
  }
  return resources;
};
