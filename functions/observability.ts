import type { Context } from 'aws-lambda';
import type { MetricName } from '../contract/metrics.js';
import { METRICS_NAMESPACE, SERVICE } from '../contract/vocabulary.js';
import { loadConfig, xrayTraceId } from './config.js';

/**
 * The one logger and metrics registry of every function, built from the contract's service name. Logs are
 * structured JSON and never carry ID numbers, names, phone numbers, birth dates or results: log ids (lab,
 * sample) and counts.
 *
 * Both are the house's own, a few dozen lines each, rather than Powertools Logger and Metrics. They write
 * what those write, in the fields every query, alarm and Contributor Insights rule of this project reads
 * (README "Logs Insights queries", lib/constructs/monitoring.ts), and tests hold them to it
 * (test/unit/observability/). Why: on the verify path, Powertools' two libraries were the largest part of
 * a cold start that is not the AWS SDK (about 6 ms of code to load and consoles to build, measured by
 * `npm run bench`'s cold-load row), plus environment reads and work on every warm request; these are the
 * parts of them the functions use, and nothing else.
 */

export const LogLevel = { DEBUG: 8, INFO: 12, WARN: 16, ERROR: 20, SILENT: 28 } as const;
export type LogLevel = keyof typeof LogLevel;

export interface LoggerOptions {
  readonly service: string;
  /** Lines below it are not written (POWERTOOLS_LOG_LEVEL, INFO unless set). */
  readonly level: LogLevel;
  /** Writes one line (no newline): the function's standard output, which Lambda sends to CloudWatch Logs. */
  readonly write: (line: string) => void;
  /** The X-Ray trace of the invocation being served, if it is traced. */
  readonly traceId?: () => string | undefined;
  readonly now?: () => Date;
}

/** What a log line says about the invocation, as Powertools Logger names it. */
interface InvocationFields {
  readonly cold_start: boolean;
  readonly function_arn: string;
  readonly function_memory_size: string;
  readonly function_name: string;
  readonly function_request_id: string;
}

/** Where an error was thrown, from its stack's first frame: `file:line`, as Powertools writes it. */
const codeLocation = (stack: string | undefined): string => {
  const frame = /^\s+at (?:.*?\()?(.+?):(\d+):\d+\)?$/m.exec(stack ?? '');
  return frame ? `${frame[1]}:${frame[2]}` : '';
};

/** An error as a log line carries it: name, where, message, stack, its cause, and its own fields. */
const errorFields = (error: Error): Record<string, unknown> => {
  const fields: Record<string, unknown> = {
    name: error.name,
    location: codeLocation(error.stack),
    message: error.message,
    stack: error.stack,
  };
  if (error.cause !== undefined) fields.cause = error.cause;
  for (const [key, value] of Object.entries(error)) if (!(key in fields)) fields[key] = value;
  return fields;
};

/** JSON.stringify's replacer for a log line: errors spelled out, big integers as text, cycles dropped. */
const lineReplacer = () => {
  const seen = new WeakSet<object>();
  return function (this: unknown, _key: string, value: unknown): unknown {
    if (typeof value === 'bigint') return value.toString();
    if (typeof value !== 'object' || value === null) return value;
    if (seen.has(value)) return undefined;
    seen.add(value);
    return value instanceof Error ? errorFields(value) : value;
  };
};

/**
 * Structured JSON log lines: `level`, `message`, `timestamp`, `service`, the invocation's fields once a
 * middleware gave its context (lambda-handler.ts), `xray_trace_id` when traced, then the attributes.
 */
export class Logger {
  readonly #threshold: number;
  #invocation: InvocationFields | undefined;
  #served = 0;

  constructor(private readonly options: LoggerOptions) {
    this.#threshold = LogLevel[options.level];
  }

  /** The invocation now being served; its first call on an instance is its cold start. */
  addContext(context: Context): void {
    this.#served += 1;
    this.#invocation = {
      cold_start: this.#served === 1,
      function_arn: context.invokedFunctionArn,
      function_memory_size: String(context.memoryLimitInMB),
      function_name: context.functionName,
      function_request_id: context.awsRequestId,
    };
  }

  debug(message: string, attributes?: Readonly<Record<string, unknown>>): void {
    this.#print('DEBUG', message, attributes);
  }

  info(message: string, attributes?: Readonly<Record<string, unknown>>): void {
    this.#print('INFO', message, attributes);
  }

  warn(message: string, attributes?: Readonly<Record<string, unknown>>): void {
    this.#print('WARN', message, attributes);
  }

  error(message: string, attributes?: Readonly<Record<string, unknown>>): void {
    this.#print('ERROR', message, attributes);
  }

  #print(level: Exclude<LogLevel, 'SILENT'>, message: string, attributes = {}): void {
    if (LogLevel[level] < this.#threshold) return;
    const traceId = this.options.traceId?.();
    const line = {
      level,
      message,
      timestamp: (this.options.now?.() ?? new Date()).toISOString(),
      service: this.options.service,
      ...this.#invocation,
      ...(traceId === undefined ? {} : { xray_trace_id: traceId }),
      ...attributes,
    };
    this.options.write(JSON.stringify(line, lineReplacer()));
  }
}

const settings = loadConfig(['POWERTOOLS_LOG_LEVEL', 'POWERTOOLS_METRICS_DISABLED']);
const writeLine = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

export const logger = new Logger({
  service: SERVICE,
  level: settings.POWERTOOLS_LOG_LEVEL,
  write: writeLine,
  traceId: xrayTraceId,
});

/** The units the functions count in: every metric here is a count (contract/metrics.ts). */
export const MetricUnit = { Count: 'Count' } as const;
export type MetricUnit = (typeof MetricUnit)[keyof typeof MetricUnit];

/**
 * CloudWatch's embedded metric format (EMF) takes at most 100 values of one metric in a line (and 100
 * metrics, more than contract/metrics.ts names): a metric reaching it is flushed there and then.
 */
export const MAX_VALUES_PER_METRIC = 100;

export interface MetricsOptions {
  readonly namespace: string;
  readonly service: string;
  /** Writes one line (no newline) where CloudWatch Logs reads EMF: the function's standard output. */
  readonly write: (line: string) => void;
  /** Counts nothing and writes nothing (the local stack, where no one reads EMF). */
  readonly disabled?: boolean;
  readonly now?: () => number;
}

/**
 * The functions' metrics, written as EMF lines on standard output, which CloudWatch turns into metrics of
 * `namespace` with the one dimension `service` (what lib/constructs/monitoring.ts reads).
 *
 * The line is the one Powertools Metrics writes: `_aws` (Timestamp, Namespace, Dimensions [["service"]],
 * Metrics [{Name, Unit}]), then `service`, then each metric's value, an array when it was counted more
 * than once. Unlike Powertools, an invocation that counted nothing writes nothing and warns of nothing.
 */
export class Metrics {
  readonly #counted = new Map<MetricName, { readonly unit: MetricUnit; readonly values: number[] }>();

  constructor(private readonly options: MetricsOptions) {}

  /** Counts `value` of `name` in this invocation; published by publishStoredMetrics. */
  addMetric(name: MetricName, unit: MetricUnit, value: number): void {
    if (!Number.isFinite(value)) throw new RangeError(`Metric ${name} must be a finite number.`);
    if (this.options.disabled) return;
    const metric = this.#counted.get(name) ?? { unit, values: [] };
    metric.values.push(value);
    this.#counted.set(name, metric);
    if (metric.values.length >= MAX_VALUES_PER_METRIC) this.publishStoredMetrics();
  }

  hasStoredMetrics(): boolean {
    return this.#counted.size > 0;
  }

  /** Writes what was counted as one EMF line and forgets it; writes nothing when nothing was counted. */
  publishStoredMetrics(): void {
    if (this.#counted.size === 0) return;
    const definitions: { Name: MetricName; Unit: MetricUnit }[] = [];
    const values: Record<string, number | number[]> = {};
    for (const [name, { unit, values: counted }] of this.#counted) {
      definitions.push({ Name: name, Unit: unit });
      values[name] = counted.length === 1 ? (counted[0] ?? 0) : counted;
    }
    this.#counted.clear();
    const line = {
      _aws: {
        Timestamp: (this.options.now ?? Date.now)(),
        CloudWatchMetrics: [
          { Namespace: this.options.namespace, Dimensions: [['service']], Metrics: definitions },
        ],
      },
      service: this.options.service,
      ...values,
    };
    this.options.write(JSON.stringify(line));
  }
}

export const metrics = new Metrics({
  namespace: METRICS_NAMESPACE,
  service: SERVICE,
  write: writeLine,
  disabled: settings.POWERTOOLS_METRICS_DISABLED === 'true',
});
