/**
 * Operations (#12): the events dead-letter queue, the alarm topic and the CloudWatch alarms. The README's
 * "Operations" section says what each alarm means and the first thing to do.
 */
'use strict';

/** medpay's business metrics (EMF, lib/adapters/system/emf-metrics.ts): every one also has a stage-level series. */
const BUSINESS_ALARMS = [
  ['IntegrityAlerts', 'An authentic notification contradicts what medpay recorded.', 0],
  ['NotificationsRejected', 'Forged, stale or malformed notifications above the threshold.', 'threshold'],
  ['SettlementsFailed', 'A visit settlement ended in PAYMENT_FAILED (capture retries exhausted).', 0],
  ['ReconciliationDiscrepancies', 'A reconciliation found differences with a provider bill.', 0],
  [
    'ReconciliationsFailed',
    'A reconciliation run ended FAILED (no bill, or a bill that does not verify).',
    0,
  ],
  ['CallbacksFailed', 'A callback to a HIS endpoint was given up after its retry window.', 0],
  [
    'AppAuthorisationsRevoked',
    "The daily check found a hospital's Alipay authorisation invalid: its Alipay payments stopped.",
    0,
  ],
  [
    'AppAuthorisationRefreshRefused',
    "Alipay refused to refresh a hospital's authorisation: the merchant must authorise again before it lapses.",
    0,
  ],
  [
    'RefundsOverdue',
    'A refund is still on its way past its expected arrival: GET /overdue-refunds lists it for finance.',
    0,
  ],
  [
    'DisputesOverdue',
    'A dispute is past its deadline (the wallet’s, or the hospital’s promise): GET /disputes shows it first.',
    0,
  ],
  [
    'InsuredPaymentsNeedingAttention',
    'An insured payment or refund is stuck between the insurance platform and the wallet.',
    0,
  ],
];

const alarm = (description, metric, threshold, topic, extra = {}) => ({
  Type: 'AWS::CloudWatch::Alarm',
  Properties: {
    AlarmDescription: description,
    Namespace: metric.namespace,
    MetricName: metric.name,
    Dimensions: Object.entries(metric.dimensions).map(([Name, Value]) => ({ Name, Value })),
    Statistic: extra.statistic ?? 'Sum',
    Period: extra.period ?? 300,
    EvaluationPeriods: 1,
    Threshold: threshold,
    ComparisonOperator: 'GreaterThanThreshold',
    TreatMissingData: 'notBreaching',
    AlarmActions: [{ Ref: topic }],
    OKActions: [{ Ref: topic }],
  },
});

const pascal = (key) => key[0].toUpperCase() + key.slice(1);

module.exports = async ({ resolveConfigurationProperty, resolveVariable }) => {
  const service = await resolveVariable('self:service');
  const stage = await resolveVariable('sls:stage');
  const email = await resolveVariable('param:alarmEmail');
  const rejectedThreshold = Number(await resolveVariable('param:rejectedNotificationsThreshold'));
  const functions = (await resolveConfigurationProperty(['functions'])) ?? {};
  const topic = 'AlarmTopic';

  const resources = {
    [topic]: {
      Type: 'AWS::SNS::Topic',
      Properties: {
        TopicName: `${service}-${stage}-alarms`,
        ...(email ? { Subscription: [{ Protocol: 'email', Endpoint: email }] } : {}),
      },
    },
    EventsDeadLetterQueue: {
      Type: 'AWS::SQS::Queue',
      Properties: {
        QueueName: `${service}-${stage}-events-dlq`,
        MessageRetentionPeriod: 1209600, // 14 days, SQS's maximum
        SqsManagedSseEnabled: true,
      },
    },
    EventsDeadLetterQueuePolicy: {
      Type: 'AWS::SQS::QueuePolicy',
      Properties: {
        Queues: [{ Ref: 'EventsDeadLetterQueue' }],
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              // EventBridge puts the events it could not deliver to a target here (its rules only).
              Effect: 'Allow',
              Principal: { Service: 'events.amazonaws.com' },
              Action: 'sqs:SendMessage',
              Resource: { 'Fn::GetAtt': ['EventsDeadLetterQueue', 'Arn'] },
              Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
            },
          ],
        },
      },
    },
    DeadLettersAlarm: alarm(
      'Events wait in the dead-letter queue: a schedule or PaymentSucceeded delivery failed.',
      {
        namespace: 'AWS/SQS',
        name: 'ApproximateNumberOfMessagesVisible',
        dimensions: { QueueName: { 'Fn::GetAtt': ['EventsDeadLetterQueue', 'QueueName'] } },
      },
      0,
      topic,
      { statistic: 'Maximum' },
    ),
    OutboxLagAlarm: alarm(
      'The oldest unpublished domain event is over 5 minutes old: the relay is failing or behind.',
      { namespace: 'medpay', name: 'OutboxLagSeconds', dimensions: { service, stage } },
      300,
      topic,
      { statistic: 'Maximum' },
    ),
  };
  for (const [name, description, threshold] of BUSINESS_ALARMS)
    resources[`${name}Alarm`] = alarm(
      description,
      { namespace: 'medpay', name, dimensions: { service, stage } },
      threshold === 'threshold' ? rejectedThreshold : threshold,
      topic,
    );
  for (const kind of ['Read', 'Write'])
    resources[`Dynamo${kind}ThrottlesAlarm`] = alarm(
      `DynamoDB throttled ${kind.toLowerCase()}s on the medpay table.`,
      {
        namespace: 'AWS/DynamoDB',
        name: `${kind}ThrottleEvents`,
        dimensions: { TableName: { Ref: 'MedpayTable' } },
      },
      0,
      topic,
    );
  for (const key of Object.keys(functions))
    for (const metric of ['Errors', 'Throttles'])
      resources[`${pascal(key)}${metric}Alarm`] = alarm(
        `${key}: Lambda ${metric.toLowerCase()}.`,
        { namespace: 'AWS/Lambda', name: metric, dimensions: { FunctionName: `${service}-${stage}-${key}` } },
        0,
        topic,
      );
  return resources;
};
