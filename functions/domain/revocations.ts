import type { Clock } from '../../contract/clock.js';
import type { RevokedWindow } from '../../contract/rules-document.js';
import { NotFoundError, ValidationFailedError } from '../errors.js';
import { HIDDEN_CHARACTERS_MESSAGE, hasControlCharacters, hasHiddenCharacters } from '../schemas/common.js';
import type { Registry } from './registry.js';
import { type SampleStore, voidSample } from './store.js';

/**
 * An operator's revocation of a lab's results, kept in the registry table for the audit and for the
 * public list (facilities, rules document). WINDOW: every result of the lab sampled in [from, to);
 * SAMPLE: one result. Never deleted: it is the record of who revoked what, when and why.
 */
export type Revocation = {
  /** `<labId>#<from>#<to>` or `<labId>#SAMPLE#<sampleId>`: the same command names the same record. */
  readonly id: string;
  readonly labId: string;
  readonly reason: string;
  /** The operator, as the audit names them (the OS user locally; the AWS credentials on a stack). */
  readonly revokedBy: string;
  readonly revokedAt: string;
  /** How many stored results the last run of the command found (each is marked once). */
  readonly samples: number;
} & (
  | { readonly scope: 'WINDOW'; readonly from: string; readonly to: string }
  | { readonly scope: 'SAMPLE'; readonly sampleId: string }
);

/** The port to the revocation records. */
export interface Revocations {
  /** Writes the record unless one with its id exists; answers the stored one (the first stays). */
  record(revocation: Revocation): Promise<{ readonly stored: Revocation; readonly created: boolean }>;
  /** Updates the count of results the last run found. */
  setSamples(id: string, samples: number): Promise<void>;
  list(): Promise<Revocation[]>;
}

/** The results table as `results revoke` uses it. */
export type RevocableSamples = SampleStore & {
  samplesOfLab(query: {
    labId: string;
    from: string;
    to: string;
  }): Promise<readonly { labId: string; sampleId: string }[]>;
};

export interface RevokeDeps {
  readonly registry: Pick<Registry, 'get'>;
  readonly samples: RevocableSamples;
  readonly revocations: Revocations;
  readonly clock: Clock;
}

export type RevokeRequest = {
  readonly labId: string;
  readonly reason: string;
  readonly revokedBy: string;
} & ({ readonly from: Date; readonly to: Date } | { readonly sampleId: string });

export interface RevokeOutcome {
  readonly revocation: Revocation;
  /** True when this run created the record; false when it repeated an earlier revocation. */
  readonly created: boolean;
  /** Stored results the command found and marked (a repeat marks them again, harmlessly). */
  readonly found: number;
}

const MAX_REASON = 500;

const requireReason = (reason: string): string => {
  const trimmed = reason.normalize('NFC').trim();
  if (trimmed.length === 0 || trimmed.length > MAX_REASON)
    throw new ValidationFailedError(
      `Lý do (--reason) phải dài 1-${MAX_REASON} ký tự. / --reason must be 1-${MAX_REASON} characters.`,
      [{ path: 'reason', message: `must be 1-${MAX_REASON} characters` }],
    );
  if (hasHiddenCharacters(trimmed))
    throw new ValidationFailedError(`--reason ${HIDDEN_CHARACTERS_MESSAGE}.`, [
      { path: 'reason', message: HIDDEN_CHARACTERS_MESSAGE },
    ]);
  // Printed by `audit list` and kept for good: one line, nothing that drives a terminal.
  if (hasControlCharacters(trimmed))
    throw new ValidationFailedError(
      '--reason không được chứa ký tự điều khiển hay xuống dòng. / --reason must not contain control characters or line breaks.',
      [{ path: 'reason', message: 'must not contain control characters or line breaks' }],
    );
  return trimmed;
};

/**
 * Revokes one result of a lab, or every result it sampled in [from, to): each stored one is marked (sample
 * item and holder copy) before this answers, so from the next verify or pass request on it counts for no
 * verdict; the record is kept (who, when, why). Idempotent: a repeat keeps the first record and marks again
 * whatever it finds, so running it again after the queue drained catches results that were still queued.
 */
export const revokeResults = async (request: RevokeRequest, deps: RevokeDeps): Promise<RevokeOutcome> => {
  const reason = requireReason(request.reason);
  const lab = await deps.registry.get(request.labId);
  if (lab === undefined || lab.role !== 'lab')
    throw new NotFoundError(
      `Không có phòng xét nghiệm ${request.labId} (xem \`lab list\`). / No lab ${request.labId} (see \`lab list\`).`,
    );
  const now = deps.clock.now().toISOString();
  const common = { labId: lab.id, reason, revokedBy: request.revokedBy, revokedAt: now, samples: 0 };
  let revocation: Revocation;
  let keys: readonly { labId: string; sampleId: string }[];
  if ('sampleId' in request) {
    if ((await deps.samples.getSample(lab.id, request.sampleId)) === undefined)
      throw new NotFoundError(
        `Phòng xét nghiệm ${lab.id} không có kết quả đã lưu với sampleId này (có thể còn trong hàng đợi: thử lại sau). / ` +
          `Lab ${lab.id} has no stored result with this sampleId (it may still be queued: try again shortly).`,
      );
    revocation = {
      ...common,
      id: `${lab.id}#SAMPLE#${request.sampleId}`,
      scope: 'SAMPLE',
      sampleId: request.sampleId,
    };
    keys = [{ labId: lab.id, sampleId: request.sampleId }];
  } else {
    if (!(request.from.getTime() < request.to.getTime()))
      throw new ValidationFailedError('--from phải trước --to. / --from must be before --to.', [
        { path: 'from', message: 'must be before --to' },
      ]);
    const from = request.from.toISOString();
    const to = request.to.toISOString();
    revocation = { ...common, id: `${lab.id}#${from}#${to}`, scope: 'WINDOW', from, to };
    keys = await deps.samples.samplesOfLab({ labId: lab.id, from, to });
  }
  // The record first: if marking fails half-way, the record says so and a repeat finishes the work.
  const { stored, created } = await deps.revocations.record(revocation);
  let found = 0;
  for (const key of keys) {
    const marked = await voidSample(
      key.labId,
      key.sampleId,
      { kind: 'REVOKED', at: now, revocationId: stored.id },
      { samples: deps.samples },
    );
    if (marked !== undefined) found += 1;
  }
  await deps.revocations.setSamples(stored.id, found);
  return { revocation: { ...stored, samples: found }, created, found };
};

/** The window revocations still worth publishing: results sampled in them may still be retained. */
export const publishedWindows = (
  revocations: readonly Revocation[],
  now: Date,
  retentionDays: number,
): RevokedWindow[] =>
  revocations
    .flatMap((r) => (r.scope === 'WINDOW' ? [{ labId: r.labId, from: r.from, to: r.to }] : []))
    .filter((w) => Date.parse(w.to) + retentionDays * 86_400_000 > now.getTime())
    .sort((a, b) => (a.labId === b.labId ? (a.from < b.from ? -1 : 1) : a.labId < b.labId ? -1 : 1));
