import * as z from 'zod';
import { AuthError, ProtocolError } from './errors.js';
import { fromServer, type Localized, type RowProblem, text } from './messages.js';

/** The part of `fetch` the client uses; the global `fetch` fits, and tests pass a fake. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

const fieldErrorSchema = z.object({ path: z.string(), message: z.string() });

const acceptedSchema = z.object({
  items: z.array(
    z.object({
      index: z.number().int().nonnegative(),
      // Kept open: a status this client does not know is treated as "not confirmed" and resent.
      status: z.string(),
      errors: z.array(fieldErrorSchema).optional(),
    }),
  ),
});

const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(fieldErrorSchema).optional(),
  }),
});

/** What the server said about one item of a request, by its index in that request. */
export type ItemAnswer =
  | { readonly index: number; readonly status: 'ACCEPTED' }
  | { readonly index: number; readonly status: 'REJECTED'; readonly errors: readonly RowProblem[] };

/** One request's outcome, as the delivery loop needs it. Fatal answers are thrown instead. */
export type PostOutcome =
  /** 202, or 400 VALIDATION_FAILED (every item rejected). Items not listed were not confirmed. */
  | { readonly kind: 'answered'; readonly items: readonly ItemAnswer[] }
  | { readonly kind: 'tooLarge' }
  /** 408, 429, 5xx or no answer at all: the same request may succeed later. */
  | { readonly kind: 'retry'; readonly reason: Localized; readonly retryAfter: string | undefined };

export interface PostRequest {
  readonly url: string;
  readonly credential: string;
  readonly body: string;
  /** How many items the body holds, to check the answer's indexes. */
  readonly count: number;
  readonly fetch: FetchLike;
  readonly timeoutMs: number;
}

const readJson = async (response: Response): Promise<unknown> => {
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/** The error code of a contract error body; its English message is not shown (texts are localised). */
const errorCode = (body: unknown): string | undefined => {
  const parsed = errorBodySchema.safeParse(body);
  return parsed.success ? parsed.data.error.code : undefined;
};

/** Keeps a path prefix such as an API Gateway stage (`https://…/prod`), which `new URL('/v1/…', base)` drops. */
export const resultsUrl = (baseUrl: string): string => `${baseUrl.replace(/\/+$/, '')}/v1/results`;

const itemPath = /^results\[(\d+)\](?:\.(.+))?$/;

type Detail = z.infer<typeof fieldErrorSchema>;

/**
 * Maps a 400's details (`results[3].citizen.idNumber`) to the items of the request, each as a problem
 * the report renders in the chosen language. A detail that names no item (`results`) concerns the whole
 * request, so every item carries it; an item without any detail still gets one, because the 400 means
 * that nothing was accepted.
 */
export const rejectionsFromDetails = (details: readonly Detail[], count: number): ItemAnswer[] => {
  const perItem: RowProblem[][] = Array.from({ length: count }, () => []);
  const general: RowProblem[] = [];
  for (const detail of details) {
    const match = itemPath.exec(detail.path);
    const index = match === null ? undefined : Number(match[1]);
    const errors = index === undefined ? undefined : perItem[index];
    if (errors === undefined) general.push(fromServer(detail));
    else errors.push(fromServer({ path: match?.[2] ?? '', message: detail.message }));
  }
  return perItem.map((errors, index) => {
    const all = [...errors, ...general];
    return {
      index,
      status: 'REJECTED',
      errors: all.length > 0 ? all : [{ path: '', code: 'NO_DETAILS' }],
    };
  });
};

const fromAccepted = (body: unknown, count: number): ItemAnswer[] => {
  const parsed = acceptedSchema.safeParse(body);
  if (!parsed.success) throw new ProtocolError(text.badAcceptedAnswer());
  const answers: ItemAnswer[] = [];
  for (const item of parsed.data.items) {
    if (item.index >= count) {
      throw new ProtocolError(text.itemOutOfRange(item.index, count));
    }
    if (item.status === 'ACCEPTED') answers.push({ index: item.index, status: 'ACCEPTED' });
    if (item.status === 'REJECTED')
      answers.push({
        index: item.index,
        status: 'REJECTED',
        errors: (item.errors ?? []).map(fromServer),
      });
  }
  return answers;
};

/** Sends one `POST /v1/results` and classifies the answer; throws the answers that must end the run. */
export const postResults = async (request: PostRequest): Promise<PostOutcome> => {
  let response: Response;
  try {
    response = await request.fetch(resultsUrl(request.url), {
      method: 'POST',
      headers: {
        authorization: `Bearer ${request.credential}`,
        'content-type': 'application/json; charset=utf-8',
      },
      body: request.body,
      signal: AbortSignal.timeout(request.timeoutMs),
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { kind: 'retry', reason: text.noAnswer(reason), retryAfter: undefined };
  }

  const { status } = response;
  const body = await readJson(response).catch(() => undefined);
  if (status === 202) return { kind: 'answered', items: fromAccepted(body, request.count) };
  if (status === 413) return { kind: 'tooLarge' };
  if (status === 408 || status === 429 || status >= 500) {
    return {
      kind: 'retry',
      reason: text.httpStatus(status, errorCode(body)),
      retryAfter: response.headers.get('retry-after') ?? undefined,
    };
  }
  if (status === 401 || status === 403) {
    throw new AuthError(status);
  }
  if (status === 400) {
    const parsed = errorBodySchema.safeParse(body);
    if (parsed.success && parsed.data.error.code === 'VALIDATION_FAILED') {
      return {
        kind: 'answered',
        items: rejectionsFromDetails(parsed.data.error.details ?? [], request.count),
      };
    }
  }
  throw new ProtocolError(text.unexpectedAnswer(status, errorCode(body)));
};
