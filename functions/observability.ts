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
 * the fields those wrote that every query, alarm and Contributor Insights rule of this project reads
 * (README "Logs Insights queries", lib/constructs/monitoring.ts), and tests hold them to it
 * (test/unit/observability/). Where they differ: every line goes to standard output (Powertools wrote
 * WARN and ERROR to standard error; Lambda sends both to the same log group), there is no
 * `sampling_rate`, empty values are written, and a non-finite metric value is dropped with a warning
 * instead of written as null. Why: on the verify path, Powertools' two libraries were the largest part of
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

/**
 * Where an error was thrown, from its stack's first frame (`at fn (file:line:column)` or `at
 * file:line:column`): `file:line`, as Powertools writes it. Line by line, with expressions that cannot
 * backtrack far, so a long or odd stack costs its length and no more.
 */
const codeLocation = (stack: string | undefined): string => {
  for (const line of (stack ?? '').split('\n')) {
    const frame = line.trimStart();
    if (!frame.startsWith('at ')) continue;
    const place = /\(([^()]*):(\d+):\d+\)$/.exec(frame) ?? /^at ([^\s()]+):(\d+):\d+$/.exec(frame);
    return place ? `${place[1]}:${place[2]}` : '';
  }
  return '';
};

/**
 * The fields of an error besides name, message, stack and cause that a line carries: codes and the AWS
 * SDK's request metadata. Only these: an error's other fields may hold data (an SDK condition failure can
 * carry the item it read), and a log line never carries personal data.
 */
const ERROR_FIELDS = [
  'code',
  'errno',
  'syscall',
  'status',
  'statusCode',
  '$fault',
  '$metadata',
  '$retryable',
];

/** An error as a log line carries it: name, where, message, stack, its cause, and its codes. */
const errorFields = (error: Error): Record<string, unknown> => {
  const fields: Record<string, unknown> = {
    name: error.name,
    location: codeLocation(error.stack),
    message: error.message,
    stack: error.stack,
  };
  if (error.cause !== undefined) fields.cause = error.cause;
  for (const key of ERROR_FIELDS) {
    if (Object.hasOwn(error, key)) fields[key] = Reflect.get(error, key);
  }
  return fields;
};

/**
 * JSON.stringify's replacer for a log line: errors spelled out, big integers as text, and a reference
 * back to an object it is inside of (a loop) dropped. The same object twice side by side is written
 * twice. JSON.stringify calls it with `this` the object holding `value`, so the objects it is inside of
 * are the chain of holders back to the top.
 */
const lineReplacer = () => {
  // Each object being written, as given and as written (an error is written as a new object).
  const holders: { readonly given: object; readonly written: object }[] = [];
  return function (this: unknown, _key: string, value: unknown): unknown {
    if (typeof value === 'bigint') return value.toString();
    if (typeof value !== 'object' || value === null) return value;
    while (holders.length > 0 && holders.at(-1)?.written !== this) holders.pop();
    if (holders.some(({ given }) => given === value)) return undefined;
    const written = value instanceof Error ? errorFields(value) : value;
    holders.push({ given: value, written });
    return written;
  };
};

/** The fields every line starts with; an attribute of the same name is not written over them. */
const STANDARD_FIELDS: ReadonlySet<string> = new Set([
  'level',
  'message',
  'timestamp',
  'service',
  'cold_start',
  'function_arn',
  'function_memory_size',
  'function_name',
  'function_request_id',
  'xray_trace_id',
]);

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
    const standard = {
      level,
      message,
      timestamp: (this.options.now?.() ?? new Date()).toISOString(),
      service: this.options.service,
      ...this.#invocation,
      ...(traceId === undefined ? {} : { xray_trace_id: traceId }),
    };
    const line: Record<string, unknown> = { ...standard };
    for (const [key, value] of Object.entries(attributes)) if (!STANDARD_FIELDS.has(key)) line[key] = value;
    // A log call never fails the request it reports on: attributes that cannot be written (a getter or
    // toJSON that throws) leave the line with its standard fields, and it says so.
    let text: string;
    try {
      text = JSON.stringify(line, lineReplacer());
    } catch {
      text = JSON.stringify({ ...standard, logError: 'the attributes could not be written' });
    }
    this.options.write(text);
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
  /** Told of a value that cannot be counted (not a finite number), which is dropped. */
  readonly onDropped?: (name: MetricName) => void;
  readonly now?: () => number;
}

/**
 * The functions' metrics, written as EMF lines on standard output, which CloudWatch turns into metrics of
 * `namespace` with the one dimension `service` (what lib/constructs/monitoring.ts reads).
 *
 * The line has what Powertools Metrics wrote for the way the functions count: `_aws` (Timestamp,
 * Namespace, Dimensions [["service"]], Metrics [{Name, Unit}]), then `service`, then each metric's value,
 * an array when it was counted more than once. Unlike Powertools, an invocation that counted nothing
 * writes nothing and warns of nothing.
 */
export class Metrics {
  readonly #counted = new Map<MetricName, { readonly unit: MetricUnit; readonly values: number[] }>();

  constructor(private readonly options: MetricsOptions) {}

  /**
   * Counts `value` of `name` in this invocation; published by publishStoredMetrics. A value that is not a
   * finite number (JSON would write null, which CloudWatch refuses) is dropped, not thrown: counting
   * never fails the request it counts.
   */
  addMetric(name: MetricName, unit: MetricUnit, value: number): void {
    if (this.options.disabled) return;
    if (!Number.isFinite(value)) {
      this.options.onDropped?.(name);
      return;
    }
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
  disabled: settings.POWERTOOLS_METRICS_DISABLED,
  onDropped: (name) => logger.warn('metric value dropped: not a finite number', { metric: name }),
});
