import type { TestResultInput } from './csv.js';

/** The contract's limits for one `POST /v1/results` body. */
export const maxItemsPerBody = 500;
export const maxBodyBytes = 1024 * 1024;

/** One result on its way, already serialised so that its share of a body is known exactly. */
export interface Entry {
  readonly line: number;
  readonly sampleId: string;
  readonly json: string;
  readonly bytes: number;
}

const bodyPrefix = '{"results":[';
const bodySuffix = ']}';
const envelopeBytes = Buffer.byteLength(bodyPrefix) + Buffer.byteLength(bodySuffix);

export const toEntry = (line: number, result: TestResultInput): Entry => {
  const json = JSON.stringify(result);
  return { line, sampleId: result.sampleId, json, bytes: Buffer.byteLength(json) };
};

/** The request body for some entries: byte for byte `JSON.stringify({ results })`. */
export const encodeBody = (entries: readonly Entry[]): string =>
  `${bodyPrefix}${entries.map((entry) => entry.json).join(',')}${bodySuffix}`;

/** The size in bytes of {@link encodeBody}'s output, without building it. */
export const bodyBytes = (entries: readonly Entry[]): number =>
  entries.reduce((total, entry) => total + entry.bytes, envelopeBytes) + Math.max(0, entries.length - 1);

export interface BatchLimits {
  readonly maxItems: number;
  readonly maxBytes: number;
}

/**
 * Groups entries into batches of at most `maxItems` whose body stays within `maxBytes`. An entry too big
 * for any body travels alone; the server's 413 then rejects it as a row.
 */
export class BatchBuilder {
  private current: Entry[] = [];
  private currentBytes = envelopeBytes;

  constructor(private readonly limits: BatchLimits) {}

  /** Adds an entry; returns the batch it closed, if adding it closed one. */
  add(entry: Entry): Entry[] | undefined {
    const separator = this.current.length > 0 ? 1 : 0;
    const overflows = this.currentBytes + separator + entry.bytes > this.limits.maxBytes;
    const closed = this.current.length > 0 && overflows ? this.take() : undefined;
    this.current.push(entry);
    this.currentBytes += (this.current.length > 1 ? 1 : 0) + entry.bytes;
    if (closed === undefined && this.current.length >= this.limits.maxItems) return this.take();
    return closed;
  }

  /** Closes the batch in progress, if it holds anything. */
  flush(): Entry[] | undefined {
    return this.current.length > 0 ? this.take() : undefined;
  }

  private take(): Entry[] {
    const batch = this.current;
    this.current = [];
    this.currentBytes = envelopeBytes;
    return batch;
  }
}

/** Splits a batch the server found too large (413) into two halves; a single entry cannot be split. */
export const splitInHalf = (entries: readonly Entry[]): [Entry[], Entry[]] => {
  const middle = Math.ceil(entries.length / 2);
  return [entries.slice(0, middle), entries.slice(middle)];
};
