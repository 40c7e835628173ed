import { Duration, Stack } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import {
  Alarm,
  CfnInsightRule,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ILogGroup } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { type MetricName, metricNames, watchedLogMessages } from '../../contract/metrics.js';
import { METRICS_NAMESPACE, SERVICE } from '../../contract/vocabulary.js';
import type { StageConfig } from '../stages.js';
import { rateLimitRuleName } from './waf.js';

export interface MonitoringProps {
  readonly stage: StageConfig;
  readonly api: RestApi;
  readonly queue: IQueue;
  readonly deadLetterQueue: IQueue;
  /** Every function, by its name in lib/routes.ts: each gets a throttles alarm. */
  readonly functions: Readonly<Record<string, IFunction>>;
  /** The function whose p99 latency is the checkpoint's experience. */
  readonly verifyFunction: IFunction;
  /** The verify function's log group: its "not valid answered" lines are counted per device. */
  readonly verifyLogGroup: ILogGroup;
  /** The pass function's log group: its "pass birth date not matching" lines are counted per app. */
  readonly passLogGroup: ILogGroup;
  readonly webAclName: string;
  /** Overrides the stage's alarm email (`-c alarmEmail=...`). */
  readonly alarmEmail: string | undefined;
}

/** A custom metric the functions emit (contract/metrics.ts, written by functions/observability.ts). */
const appMetric = (metricName: MetricName, statistic: string, period = Duration.minutes(5)): Metric =>
  new Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { service: SERVICE },
    statistic,
    period,
  });

/**
 * An alarm's text as the operator reads it in the console and the notification e-mail: Vietnamese first,
 * then English, one line (CloudWatch keeps up to 1,024 characters).
 */
export const viThenEn = (vi: string, en: string): string => `${vi} / ${en}`;

/** An alarm's description that ends by naming the runbook section of what to do, in each language. */
const withRunbook = (vi: string, en: string): string =>
  viThenEn(`${vi} Cách xử lý: docs/guides/operator.vi.md.`, `${en} What to do: docs/guides/operator.en.md.`);

/**
 * Alarms to an encrypted SNS topic, the operations dashboard, and the hourly freshness check.
 * What to do about each alarm: docs/guides/operator.vi.md and operator.en.md (the README's "Operate" in full).
 */
export class Monitoring extends Construct {
  readonly topic: Topic;
  readonly dashboard: Dashboard;
  readonly alarms: Alarm[] = [];
  /** NOT_VALID answers per checkpoint device (Contributor Insights over verify's logs). */
  readonly guessingRule: CfnInsightRule;
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const { stage } = props;
    const stackName = Stack.of(this).stackName;

    const key = new Key(this, 'Key', {
      description: `ResultGate ${stage.name}: encrypts the alarm topic`,
      enableKeyRotation: true,
      removalPolicy: stage.removalPolicy,
    });
    // CloudWatch publishes alarm notifications to the encrypted topic.
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    this.topic = new Topic(this, 'AlarmTopic', {
      displayName: `ResultGate ${stage.name} alarms`,
      masterKey: key,
      enforceSSL: true,
    });
    const email = props.alarmEmail ?? stage.alarmEmail;
    if (email !== undefined && email !== '') this.topic.addSubscription(new EmailSubscription(email));
    this.action = new SnsAction(this.topic);

    const { api, queue, deadLetterQueue, verifyFunction } = props;

    this.alarm('DeadLetterQueueNotEmpty', {
      description: viThenEn(
        'Kết quả đã lưu thất bại 5 lần và đang chờ trong hàng đợi thư lỗi (dead-letter queue). Xem docs/guides/operator.vi.md, "Hàng đợi thư lỗi".',
        'Results failed 5 times and wait in the dead-letter queue. See docs/guides/operator.en.md, "Dead-letter queue".',
      ),
      metric: deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        statistic: 'Maximum',
        period: Duration.minutes(1),
      }),
      threshold: 0,
    });
    this.alarm('ResultsQueueBacklog', {
      description: withRunbook(
        `Kết quả cũ nhất trong hàng đợi đã chờ hơn ${stage.alarms.oldestMessageAgeSeconds} giây: kết quả không được lưu.`,
        `The oldest queued result waits more than ${stage.alarms.oldestMessageAgeSeconds} s: results are not being stored.`,
      ),
      metric: queue.metricApproximateAgeOfOldestMessage({
        statistic: 'Maximum',
        period: Duration.minutes(1),
      }),
      threshold: stage.alarms.oldestMessageAgeSeconds,
      evaluationPeriods: 5,
    });
    this.alarm('Api5xx', {
      description: withRunbook(
        `Hơn ${stage.alarms.api5xxPer5Min} câu trả lời lỗi 5XX của API trong 5 phút.`,
        `More than ${stage.alarms.api5xxPer5Min} API 5XX answers in 5 minutes.`,
      ),
      metric: api.metricServerError({ statistic: 'Sum', period: Duration.minutes(5) }),
      threshold: stage.alarms.api5xxPer5Min,
    });
    this.alarm('VerifyLatencyP99', {
      description: withRunbook(
        `Thời gian xử lý verify (p99) vượt ${stage.alarms.verifyP99Ms} ms: các chốt kiểm soát phải chờ.`,
        `Verify p99 duration above ${stage.alarms.verifyP99Ms} ms: checkpoints wait.`,
      ),
      metric: verifyFunction.metricDuration({ statistic: 'p99', period: Duration.minutes(5) }),
      threshold: stage.alarms.verifyP99Ms,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
    });
    this.alarm('ApiRateLimitedByWaf', {
      description: withRunbook(
        `Giới hạn tốc độ của WAF đã chặn hơn ${stage.alarms.wafRateLimitedPer5Min} yêu cầu trong 5 phút (trả lời 429).`,
        `The WAF rate limit blocked more than ${stage.alarms.wafRateLimitedPer5Min} requests in 5 minutes (429 answers).`,
      ),
      metric: new Metric({
        namespace: 'AWS/WAFV2',
        metricName: 'BlockedRequests',
        dimensionsMap: { WebACL: props.webAclName, Rule: rateLimitRuleName, Region: Stack.of(this).region },
        statistic: 'Sum',
        period: Duration.minutes(5),
      }),
      threshold: stage.alarms.wafRateLimitedPer5Min,
    });
    this.alarm('StaleLabs', {
      description: withRunbook(
        'Một phòng xét nghiệm đang hoạt động không gửi kết quả nào lâu hơn khoảng thời gian cho phép (theo lần ' +
          'kiểm tra hằng giờ), hoặc chính lần kiểm tra hằng giờ đã không báo cáo trong 3 giờ.',
        'An active lab has sent no result for longer than the stale-lab window (from the hourly check), ' +
          'or the hourly check itself has not reported for 3 hours.',
      ),
      // The check reports every hour, 0 included, so silence means it is not running: that alarms too.
      metric: appMetric(metricNames.StaleLabs, 'Maximum', Duration.hours(3)),
      threshold: 0,
      treatMissingData: TreatMissingData.BREACHING,
    });
    // One device answered NOT_VALID again and again: someone guessing birth dates or ID numbers with a
    // device credential. The rule counts verify's "not valid answered" lines by deviceId; two alarms watch
    // the top contributor. A real checkpoint rarely turns back 30 travellers in 5 minutes (at its limit a
    // device can make 60 requests in 5 minutes, 12 a minute sustained), nor 90 in an hour (one every 40 s,
    // all day): the hourly alarm catches a guesser pacing itself under the 5-minute one, who then needs
    // at least 2 hours on average for one CCCD holder's birth date (README, "Limits per credential").
    const guessing = this.topContributor('CheckpointGuessing', {
      logGroup: props.verifyLogGroup,
      key: '$.deviceId',
      message: watchedLogMessages.NotValidAnswered,
    });
    this.guessingRule = guessing.rule;
    const topGuesser = guessing.top(Duration.minutes(5), 'NOT_VALID answers to the top device (per 5 min)');
    this.alarm('CheckpointGuessing', {
      description: viThenEn(
        `Một thiết bị chốt kiểm soát nhận hơn ${stage.alarms.notValidPerDevicePer5Min} câu trả lời NOT_VALID trong 5 phút: ` +
          'có thể mã truy cập của thiết bị đang bị dùng để dò ngày sinh hoặc số giấy tờ. Xem các thiết bị đứng đầu ' +
          'của quy tắc Contributor Insights, rồi thu hồi thiết bị (docs/guides/operator.vi.md).',
        `One checkpoint device got more than ${stage.alarms.notValidPerDevicePer5Min} NOT_VALID answers in 5 minutes: ` +
          "a device credential may be guessing birth dates or ID numbers. Look at the rule's top contributors, " +
          'then revoke the device (docs/guides/operator.en.md).',
      ),
      metric: topGuesser,
      threshold: stage.alarms.notValidPerDevicePer5Min,
    }).node.addDependency(guessing.rule);
    this.alarm('CheckpointGuessingSlow', {
      description: viThenEn(
        `Một thiết bị chốt kiểm soát nhận hơn ${stage.alarms.notValidPerDevicePerHour} câu trả lời NOT_VALID trong một giờ: ` +
          'có thể mã truy cập của thiết bị đang dò ngày sinh một cách chậm rãi để tránh cảnh báo 5 phút. Xem các thiết bị ' +
          'đứng đầu của quy tắc Contributor Insights CheckpointGuessing, rồi thu hồi thiết bị (docs/guides/operator.vi.md).',
        `One checkpoint device got more than ${stage.alarms.notValidPerDevicePerHour} NOT_VALID answers in an hour: ` +
          'a device credential may be guessing slowly, under the 5-minute alarm. Look at the CheckpointGuessing ' +
          "rule's top contributors, then revoke the device (docs/guides/operator.en.md).",
      ),
      metric: guessing.top(Duration.hours(1), 'NOT_VALID answers to the top device (per hour)'),
      threshold: stage.alarms.notValidPerDevicePerHour,
    }).node.addDependency(guessing.rule);
    // An app asking passes for holders who have results, with birth dates none of them has: a citizen
    // types their own date (a typo now and then); a guesser gets this answer almost every time.
    const passGuessing = this.topContributor('PassBirthDateGuessing', {
      logGroup: props.passLogGroup,
      key: '$.appId',
      message: watchedLogMessages.PassBirthDateNotMatching,
    });
    const topPassGuesser = passGuessing.top(
      Duration.minutes(5),
      'Passes with a birth date not matching, top app (per 5 min)',
    );
    this.alarm('PassBirthDateGuessing', {
      description: viThenEn(
        `Một ứng dụng yêu cầu hơn ${stage.alarms.passBirthDateNotMatchingPerAppPer5Min} thẻ QR trong 5 phút với ngày sinh ` +
          'không khớp kết quả nào của người đó: có thể mã truy cập của ứng dụng đang bị dùng để dò ngày sinh. Xem các ' +
          'ứng dụng đứng đầu của quy tắc Contributor Insights, rồi cấp lại hoặc thu hồi mã truy cập (docs/guides/operator.vi.md).',
        `One app asked more than ${stage.alarms.passBirthDateNotMatchingPerAppPer5Min} passes in 5 minutes with a birth ` +
          "date none of the holder's results has: an app credential may be guessing birth dates. Look at the rule's " +
          'top contributors, then rotate or revoke the app (docs/guides/operator.en.md).',
      ),
      metric: topPassGuesser,
      threshold: stage.alarms.passBirthDateNotMatchingPerAppPer5Min,
    }).node.addDependency(passGuessing.rule);
    // Passes asked for one holder again and again, past the daily limit (contract/limits.ts): an app
    // credential guessing a holder's birth date, or an app asking a pass on every screen. A citizen app
    // keeps its pass; a guesser makes hundreds of requests. The log line names the app, never the holder.
    this.alarm('PassGuessing', {
      description: viThenEn(
        `Hơn ${stage.alarms.passRequestsOverLimitPer5Min} thẻ QR trong 5 phút được yêu cầu cho người đã quá giới hạn trong ngày: ` +
          'có thể một ứng dụng đang dò ngày sinh. Tìm ứng dụng trong các dòng nhật ký "pass requests over the daily limit", ' +
          'rồi cấp lại hoặc thu hồi mã truy cập (docs/guides/operator.vi.md).',
        `More than ${stage.alarms.passRequestsOverLimitPer5Min} passes in 5 minutes were asked for holders past their ` +
          'daily limit: an app credential may be guessing birth dates. Find the app in the "pass requests over the ' +
          'daily limit" log lines, then rotate or revoke it (docs/guides/operator.en.md).',
      ),
      metric: appMetric(metricNames.PassRequestsOverLimit, 'Sum'),
      threshold: stage.alarms.passRequestsOverLimitPer5Min,
    });
    for (const [name, fn] of Object.entries(props.functions)) {
      this.alarm(`Throttles-${name}`, {
        description: withRunbook(
          `Lambda đã giới hạn ${name}: chạm mức đồng thời tối đa (trả lời 429 cho các đường dẫn API, chậm trễ cho hàng đợi).`,
          `Lambda throttled ${name}: concurrency limit reached (429s for API routes, delays for the queue).`,
        ),
        metric: fn.metricThrottles({ statistic: 'Sum', period: Duration.minutes(5) }),
        threshold: 0,
      });
    }

    const throttleMetrics: IMetric[] = Object.entries(props.functions).map(([name, fn]) =>
      fn.metricThrottles({ statistic: 'Sum', period: Duration.minutes(5), label: name }),
    );
    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `${stackName}-operations`,
      defaultInterval: Duration.hours(6),
      widgets: [
        [
          new TextWidget({
            markdown: `# ResultGate ${stage.name}\nIngestion, storage, verification. What to do about each alarm: docs/guides/operator.en.md (Vietnamese: operator.vi.md).`,
            width: 24,
            height: 2,
          }),
        ],
        [
          new GraphWidget({
            title: 'Results accepted / rejected (per 5 min)',
            left: [
              appMetric(metricNames.ResultsAccepted, 'Sum'),
              appMetric(metricNames.ResultsRejected, 'Sum'),
            ],
            width: 12,
          }),
          new GraphWidget({
            title: 'Store lag: oldest queued result (s)',
            left: [
              queue.metricApproximateAgeOfOldestMessage({
                statistic: 'Maximum',
                period: Duration.minutes(1),
              }),
            ],
            right: [
              deadLetterQueue.metricApproximateNumberOfMessagesVisible({
                statistic: 'Maximum',
                period: Duration.minutes(1),
                label: 'DLQ depth',
              }),
            ],
            width: 12,
          }),
        ],
        [
          new GraphWidget({
            title: 'Verify duration (ms)',
            left: [
              verifyFunction.metricDuration({ statistic: 'p50', period: Duration.minutes(5), label: 'p50' }),
              verifyFunction.metricDuration({ statistic: 'p99', period: Duration.minutes(5), label: 'p99' }),
            ],
            width: 12,
          }),
          new GraphWidget({
            title: 'API 4XX / 5XX (per 5 min)',
            left: [
              api.metricClientError({ statistic: 'Sum', period: Duration.minutes(5) }),
              api.metricServerError({ statistic: 'Sum', period: Duration.minutes(5) }),
            ],
            width: 12,
          }),
        ],
        [
          new GraphWidget({ title: 'Lambda throttles (per 5 min)', left: throttleMetrics, width: 12 }),
          new GraphWidget({
            title: 'Stale labs',
            left: [appMetric(metricNames.StaleLabs, 'Maximum', Duration.hours(1))],
            width: 12,
          }),
        ],
        [
          new GraphWidget({
            title: 'Checkpoint guessing: NOT_VALID answers to the top device (per 5 min)',
            left: [topGuesser],
            leftAnnotations: [
              { value: stage.alarms.notValidPerDevicePer5Min, label: 'CheckpointGuessing alarm' },
            ],
            width: 12,
          }),
          new GraphWidget({
            title: 'Pass guessing: passes with a birth date not matching, top app (per 5 min)',
            left: [topPassGuesser],
            leftAnnotations: [
              {
                value: stage.alarms.passBirthDateNotMatchingPerAppPer5Min,
                label: 'PassBirthDateGuessing alarm',
              },
            ],
            width: 12,
          }),
        ],
      ],
    });
  }

  /**
   * A Contributor Insights rule counting one watched log line (contract/metrics.ts) by a principal's id,
   * and the top principal's count over a period, for alarms and the dashboard.
   */
  private topContributor(
    name: string,
    {
      logGroup,
      key,
      message,
    }: { readonly logGroup: ILogGroup; readonly key: string; readonly message: string },
  ) {
    const ruleName = `${Stack.of(this).stackName}-${name}`;
    const rule = new CfnInsightRule(this, `${name}Rule`, {
      ruleName,
      ruleState: 'ENABLED',
      ruleBody: Stack.of(this).toJsonString({
        Schema: { Name: 'CloudWatchLogRule', Version: 1 },
        LogGroupNames: [logGroup.logGroupName],
        LogFormat: 'JSON',
        Contribution: { Keys: [key], Filters: [{ Match: '$.message', In: [message] }] },
        AggregateOn: 'Count',
      }),
    });
    const top = (period: Duration, label: string) =>
      new MathExpression({
        expression: `INSIGHT_RULE_METRIC("${ruleName}", "MaxContributorValue")`,
        usingMetrics: {},
        period,
        label,
      });
    return { rule, top };
  }

  /** Runs a function every hour (the per-lab freshness check). */
  scheduleHourly(id: string, fn: IFunction): Rule {
    return new Rule(this, id, {
      description: 'Hourly ResultGate freshness check',
      schedule: Schedule.rate(Duration.hours(1)),
      targets: [new LambdaFunction(fn, { retryAttempts: 2 })],
    });
  }

  private alarm(
    id: string,
    props: {
      description: string;
      metric: IMetric;
      threshold: number;
      evaluationPeriods?: number;
      datapointsToAlarm?: number;
      treatMissingData?: TreatMissingData;
    },
  ): Alarm {
    const alarm = new Alarm(this, id, {
      alarmName: `${Stack.of(this).stackName}-${id}`,
      alarmDescription: props.description,
      metric: props.metric,
      threshold: props.threshold,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: props.evaluationPeriods ?? 1,
      datapointsToAlarm: props.datapointsToAlarm,
      treatMissingData: props.treatMissingData ?? TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    this.alarms.push(alarm);
    return alarm;
  }
}
