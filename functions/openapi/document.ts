import * as z from 'zod';
import type { Clock } from '../../contract/clock.js';
import { type Route, routes } from '../../contract/routes.js';
import type { ErrorCode } from '../errors.js';
import { facilityListSchema } from '../schemas/facilities.js';
import { errorResponseSchema } from '../schemas/fields.js';
import { issuedPassSchema, passRequestSchema } from '../schemas/passes.js';
import {
  sampleIdSchema,
  storedResultResponseSchema,
  submitResultsBodySchema,
  submitResultsResponseSchema,
} from '../schemas/results.js';
import { verifyRequestSchema } from '../schemas/verify-body-schema.js';
import { verifyResponseSchema } from '../schemas/verify-response.js';
import {
  deviceProfileSchema,
  healthResponseSchema,
  jwksResponseSchema,
  openApiDocumentSchema,
  passClaimsSchema,
  passHeaderSchema,
  ruleSetSchema,
  rulesDocumentClaimsSchema,
  rulesDocumentHeaderSchema,
  rulesResponseSchema,
} from './schemas.js';

/**
 * The OpenAPI 3.1 document, generated from the zod schemas that validate requests and type responses, so
 * it cannot say something the code does not do. `npm run openapi` writes it to docs/openapi.json; a test
 * checks that the committed file equals a fresh generation and covers exactly the route table.
 */

/** Refinements (the clock-dependent rules) do not appear in JSON Schema, so any clock gives the same document. */
const DOCUMENT_CLOCK: Clock = { now: () => new Date(0) };
const RULES = { clock: DOCUMENT_CLOCK, retentionDays: 30 };

type JsonSchema = Record<string, unknown>;

/** The routes of the route table, with their function names narrowed to those that serve HTTP. */
type ApiRoute = (typeof routes)[number];

/** The formats JSON Schema 2020-12 and OpenAPI 3.1 define; zod writes others (`starts_with`) for some checks. */
const STANDARD_FORMATS = new Set([
  'date-time',
  'date',
  'time',
  'duration',
  'email',
  'idn-email',
  'hostname',
  'idn-hostname',
  'ipv4',
  'ipv6',
  'uri',
  'uri-reference',
  'iri',
  'iri-reference',
  'uuid',
  'uri-template',
  'json-pointer',
  'relative-json-pointer',
  'regex',
  'int32',
  'int64',
  'float',
  'double',
  'password',
]);

/** Drops formats no validator knows; the rule they name is kept as a `pattern` next to them by zod. */
const withStandardFormats = (node: unknown): unknown => {
  if (Array.isArray(node)) return node.map(withStandardFormats);
  if (typeof node !== 'object' || node === null) return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key, value]) => key !== 'format' || typeof value !== 'string' || STANDARD_FORMATS.has(value))
      .map(([key, value]) => [key, withStandardFormats(value)]),
  );
};

const toJsonSchema = (schema: z.core.$ZodType, io: 'input' | 'output'): JsonSchema => {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
  });
  return withStandardFormats(rest) as JsonSchema;
};

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** Request bodies are described as they are sent (`io: input`), responses as they are answered. */
const requestBodies = {
  SubmitResultsRequest: submitResultsBodySchema(RULES),
  VerifyRequest: verifyRequestSchema(DOCUMENT_CLOCK),
  PassRequest: passRequestSchema(DOCUMENT_CLOCK),
} satisfies Record<string, z.core.$ZodType>;

const responseBodies = {
  Health: healthResponseSchema,
  SubmitResultsResponse: submitResultsResponseSchema,
  StoredResult: storedResultResponseSchema,
  VerifyResponse: verifyResponseSchema,
  IssuedPass: issuedPassSchema,
  Jwks: jwksResponseSchema,
  FacilityList: facilityListSchema,
  OpenApiDocument: openApiDocumentSchema,
  Error: errorResponseSchema(),
  // Not bodies: the header and payload inside IssuedPass.qr, for app and checkpoint implementers.
  PassHeader: passHeaderSchema,
  PassClaims: passClaimsSchema,
  Rules: rulesResponseSchema,
  DeviceProfile: deviceProfileSchema,
  // Not bodies: the header and payload inside Rules.jws.
  RulesDocumentHeader: rulesDocumentHeaderSchema,
  RulesDocumentClaims: rulesDocumentClaimsSchema,
  RuleSet: ruleSetSchema,
} satisfies Record<string, z.core.$ZodType>;

type SchemaName = keyof typeof requestBodies | keyof typeof responseBodies;

/** The error statuses of the contract, each with the codes it can carry. */
const errorResponses = {
  400: {
    name: 'BadRequest',
    codes: ['MALFORMED_JSON', 'VALIDATION_FAILED'],
    description:
      'MALFORMED_JSON: the body is not JSON, is not UTF-8, or names the same key twice in one object (`{"result": "POSITIVE", "result": "NEGATIVE"}`). VALIDATION_FAILED: the body breaks a rule; `details` lists every problem with its path (e.g. `results[1].citizen.idNumber`). Messages never repeat the submitted value.',
  },
  401: {
    name: 'Unauthenticated',
    codes: ['UNAUTHENTICATED'],
    description: 'The credential is missing, unknown, rotated away or revoked.',
  },
  403: {
    name: 'Forbidden',
    codes: ['FORBIDDEN'],
    description: 'A valid credential of another role, or of a suspended lab.',
  },
  404: { name: 'NotFound', codes: ['NOT_FOUND'], description: 'Not found.' },
  413: {
    name: 'PayloadTooLarge',
    codes: ['PAYLOAD_TOO_LARGE'],
    description: 'The body is over 1 MiB (1,048,576 bytes; exactly 1 MiB is accepted).',
  },
  429: {
    name: 'RateLimited',
    codes: ['RATE_LIMITED'],
    description:
      'Too many requests: from this credential on a protected route (every credential has its own rate and burst, set per role; one credential never uses up another’s), or from this network address on any route (the per-address limit over 5 minutes in front of the whole API). Retry after the `Retry-After` header’s seconds, with backoff.',
    headers: {
      'Retry-After': {
        description: 'Seconds to wait before retrying.',
        schema: { type: 'integer', minimum: 1 },
      },
    },
  },
  500: {
    name: 'Internal',
    codes: ['INTERNAL'],
    description: 'Something failed on the server side. No internals are shown. Safe to retry.',
  },
} as const satisfies Record<
  number,
  {
    name: string;
    codes: readonly [ErrorCode, ...ErrorCode[]];
    description: string;
    headers?: Record<string, unknown>;
  }
>;

type ErrorStatus = keyof typeof errorResponses;

interface Operation {
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  readonly request?: keyof typeof requestBodies;
  readonly success: {
    readonly status: 200 | 201 | 202 | 204;
    /** None for 204 No Content. */
    readonly schema?: keyof typeof responseBodies;
    readonly description: string;
    readonly cacheControl?: string;
  };
  readonly errors: readonly ErrorStatus[];
}

const PUBLIC_ERRORS = [429, 500] as const;
const PROTECTED_ERRORS = [401, 403, 429, 500] as const;
const WITH_BODY_ERRORS = [400, 401, 403, 413, 429, 500] as const;

/** One operation per function of the route table; the `Record` makes a route without one a type error. */
const operations: Record<ApiRoute['fn'], Operation> = {
  getHealth: {
    operationId: 'getHealth',
    summary: 'Liveness',
    success: { status: 200, schema: 'Health', description: 'The API is up.' },
    errors: PUBLIC_ERRORS,
  },
  submitResults: {
    operationId: 'submitResults',
    summary: 'Submit a batch of test results (lab)',
    description: [
      'The lab is the credential’s lab, never one named in the body. Each item is accepted or rejected on its own.',
      '`202` when at least one item is accepted (`ACCEPTED` means durably queued: it will be stored without further action); `400 VALIDATION_FAILED` when none is, with every item’s errors in `details`; `403` for a suspended lab.',
      'Decisions where the contract is silent:',
      '- A test type the lab is not registered for rejects the item (path `testType`).',
      '- A later item repeating an earlier item’s sampleId is rejected, even when the earlier one was itself rejected; its other errors are reported with it. SampleIds are case-sensitive.',
      '- An item status carries `sampleId` only when the item has a valid one.',
      '- A body that is not a batch (not an object, `results` missing or not an array, 0 or more than 500 items, unknown envelope fields) is refused whole with `400 VALIDATION_FAILED`.',
      '- ID numbers: all whitespace is stripped, then letters are upper-cased. Names: Unicode NFC, trimmed, 1-100 code points, no control characters, no format characters (Unicode category Cf, such as U+202E or U+200B) and no unpaired surrogates. Phone: spaces, dots and dashes ignored; `null` is refused (leave the field out).',
      '- Birth dates are "in the future" only once they are past today at UTC+14.',
      '- Timestamps: seconds required, upper-case `T` and `Z`, offsets with a colon, no leap second; normalised to UTC with millisecond precision (further digits are dropped) before they are stored or answered.',
      '- Limits are inclusive: exactly 5 minutes ahead, exactly the retention period old, exactly 500 items and exactly 1 MiB are accepted.',
      '- Unknown fields are rejected at every level; an unknown field’s name is shown in the error path only when it looks like an identifier.',
      'Delivery: resending the same (lab, sampleId) with the same content changes nothing; different content is a correction that replaces the stored result unless its `resultedAt` is earlier.',
    ].join('\n'),
    request: 'SubmitResultsRequest',
    success: { status: 202, schema: 'SubmitResultsResponse', description: 'At least one item was accepted.' },
    errors: WITH_BODY_ERRORS,
  },
  getResult: {
    operationId: 'getResult',
    summary: 'Check that one of the lab’s results is stored (lab)',
    description:
      '`200` once the result is stored where checkpoints read it: from then on a verify sees it (a later correction of a stored result is shown at once, and reaches checkpoints within moments). `404` when the sample is not stored (yet: still queued, or being written), belongs to another lab, or the sampleId is not a valid sampleId (it can never have been stored). The answer carries no citizen data.',
    success: {
      status: 200,
      schema: 'StoredResult',
      description: 'The sample is stored, and checkpoints see it.',
    },
    errors: [...PROTECTED_ERRORS, 404],
  },
  withdrawResult: {
    operationId: 'withdrawResult',
    summary: 'Withdraw one of the lab’s stored results (lab)',
    description: [
      'For a result sent by mistake (wrong person, wrong test): from the next verify or pass request on, it counts for no verdict, a positive as much as a negative. GET then answers it with `status: "WITHDRAWN"`.',
      '`204` when it is withdrawn now or was already (safe to repeat). `404` as GET answers: not stored, another lab’s, or not yet stored (just sent and still queued: retry in a few seconds; a withdrawal is not remembered ahead of its result).',
      'A withdrawal is final: a later resend or correction of the same sampleId is stored but stays withdrawn. Send the right result under a new sampleId. (Correcting to `INVALID` remains a way to cancel a result too.)',
      'Offline: a pass issued while the result counted keeps its snapshot until it expires (at most 7 days), as a phone without network cannot learn of a single withdrawal; online checks refuse it at once.',
    ].join('\n'),
    success: { status: 204, description: 'Withdrawn (now or before).' },
    errors: [...PROTECTED_ERRORS, 404],
  },
  verifyHolder: {
    operationId: 'verifyHolder',
    summary: 'Verify a holder at a checkpoint (checkpoint device)',
    description:
      'A scanned QR (`{"qr"}`) or a manual entry (`{"idType", "idNumber", "dateOfBirth"}`). `NOT_VALID` answers for no record, positive or expired results and a wrong birth date (typed in, or the one a pass was issued for) are indistinguishable. A pass that is malformed, forged, signed high-S, expired, signed by an unpublished key or issued before passes carried `bdc` answers `NOT_VALID` `PASS_INVALID`.\n\nThe verdict follows the rule set in force at the checked instant (`checkedAt`) for the device\'s jurisdiction and mode (set at `device add`; `VN`/`ENTRY` for devices registered before rule sets), or for the `mode` the body names: the jurisdiction\'s rule, else the country\'s (`VN`) rule of that mode, else `VN`/`ENTRY` (the default rule set `DEFAULT`, the deployment\'s windows). A version scheduled ahead applies exactly from its `validFrom`; a newly published version reaches every verify function within 60 s. Every answer names the rule that decided it (`rule`: id, version, legal basis); NOT_VALID answers under one rule are identical in shape and size. A `mode` no rule set of the jurisdiction or of the country names is `400 VALIDATION_FAILED` at path `mode`.',
    request: 'VerifyRequest',
    success: { status: 200, schema: 'VerifyResponse', description: 'The verdict.' },
    errors: WITH_BODY_ERRORS,
  },
  issuePass: {
    operationId: 'issuePass',
    summary: 'Issue a signed QR pass (citizen-app backend)',
    description:
      "The pass is always issued (results may arrive later) and is bound to the birth date given: its `bdc` claim (see the PassClaims schema) makes a scan count only results for that date. A snapshot is included only when those results make the holder VALID now by the `VN`/`ENTRY` rule set in force at issue, so a wrong birth date gives a pass of the same shape and size as a holder with no record. Every request counts against the holder's daily limit, whatever the birth date: from the eleventh request for one holder in a UTC day, passes come without a snapshot (they still scan VALID online), so a pass tells at most 10 birth-date guesses per holder per day; passes asked with a birth date none of the holder's results has are counted per app and alarmed. Keep a pass for its 7 days and ask again after a new result.",
    request: 'PassRequest',
    success: { status: 201, schema: 'IssuedPass', description: 'The pass.' },
    errors: WITH_BODY_ERRORS,
  },
  getKeys: {
    operationId: 'getKeys',
    summary: 'Pass-signing and rules-signing public keys (JWKS)',
    success: {
      status: 200,
      schema: 'Jwks',
      description: 'The current and previous public keys.',
      cacheControl: 'public, max-age=300',
    },
    errors: PUBLIC_ERRORS,
  },
  listFacilities: {
    operationId: 'listFacilities',
    summary: 'The registry of integrated facilities',
    success: {
      status: 200,
      schema: 'FacilityList',
      description: 'Every registered lab.',
      cacheControl: 'public, max-age=60',
    },
    errors: PUBLIC_ERRORS,
  },
  getRules: {
    operationId: 'getRules',
    summary: 'The checkpoint rules in force or scheduled, signed (public)',
    description: [
      'One signed document (`{"jws"}`) holding every rule set in force or scheduled, for checkpoints that check passes offline and for anyone who wants to read the rules. Verify it with the key of GET /v1/keys marked `"signs": "rules"`, and only that key; its header `typ` is `rg-rules+jwt`, never a pass’s `JWT`. The payload (RulesDocumentClaims) carries `iat`, when it was signed.',
      'A published version reaches this document within 60 s. A version with a future validFrom is in it already: a checkpoint applies it from that instant on its own, without network.',
      'Cacheable for what is left of the document’s minute (`max-age` from 60 down to 1), so no cache holds a version out longer than a minute. While the rules key cannot sign (the key service failing), the last document signed is served, `no-cache`: still genuine, and its `iat` says how old it is (checkpoints stop judging offline with it after the stage’s limit). `500` only when there is none to serve.',
      'Read it: `curl -s $RG/v1/rules | node -e \'…\'` (README, "Reading the rules in force").',
    ].join('\n'),
    success: {
      status: 200,
      schema: 'Rules',
      description: 'The signed rules document.',
      cacheControl: 'public, max-age=60 (at most; what is left of the document’s minute), or no-cache',
    },
    errors: PUBLIC_ERRORS,
  },
  getDeviceMe: {
    operationId: 'getDeviceMe',
    summary: 'The calling checkpoint device (checkpoint device)',
    description:
      'The device’s id, name, jurisdiction and mode, as registered, so that the checkpoint page knows which rule set of GET /v1/rules it applies offline. A device registered without a jurisdiction or mode counts as `VN` / `ENTRY`. Reads nothing but the credential’s principal.',
    success: { status: 200, schema: 'DeviceProfile', description: 'The device.' },
    errors: PROTECTED_ERRORS,
  },
  getOpenapi: {
    operationId: 'getOpenapi',
    summary: 'This OpenAPI document',
    success: {
      status: 200,
      schema: 'OpenApiDocument',
      description: 'The document.',
      cacheControl: 'public, max-age=300',
    },
    errors: PUBLIC_ERRORS,
  },
};

const json = (name: SchemaName) => ({ 'application/json': { schema: ref(name) } });

const pathParameters = (route: Route) =>
  [...route.path.matchAll(/\{([^}]+)\}/g)].map(([, name = '']) => ({
    name,
    in: 'path',
    required: true,
    ...(name === 'sampleId'
      ? { description: 'The lab’s own sampleId.', schema: toJsonSchema(sampleIdSchema, 'input') }
      : { schema: { type: 'string' } }),
  }));

const operationOf = (route: ApiRoute) => {
  const op = operations[route.fn];
  const parameters = pathParameters(route);
  return {
    operationId: op.operationId,
    summary: op.summary,
    ...(op.description === undefined ? {} : { description: op.description }),
    tags: [route.access === 'public' ? 'public' : route.access],
    'x-resultgate-access': route.access,
    security: route.access === 'public' ? [] : [{ bearer: [] }],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(op.request === undefined ? {} : { requestBody: { required: true, content: json(op.request) } }),
    responses: {
      [String(op.success.status)]: {
        description: op.success.description,
        ...(op.success.cacheControl === undefined
          ? {}
          : {
              headers: {
                'Cache-Control': { schema: { type: 'string', const: op.success.cacheControl } },
              },
            }),
        ...(op.success.schema === undefined ? {} : { content: json(op.success.schema) }),
      },
      ...Object.fromEntries(
        op.errors.map((status) => [
          String(status),
          { $ref: `#/components/responses/${errorResponses[status].name}` },
        ]),
      ),
    },
  };
};

const DESCRIPTION = [
  'ResultGate carries COVID-19 test results from testing labs to epidemic control checkpoints.',
  'JSON in and out (`application/json; charset=utf-8`); text is Unicode NFC; timestamps are RFC 3339 with `Z` or an offset, and answers use UTC `Z`.',
  'Authentication: `Authorization: Bearer <credential>`; one credential per principal (a lab, a checkpoint device or a citizen-app backend). Revoking, rotating or suspending takes effect on the credential’s next request. Every protected route may answer `429 RATE_LIMITED` with `Retry-After` when one credential goes over its role’s per-credential rate.',
  'Errors always have the shape `{"error": {"code", "message", "details"?}}`, from every layer, gateway responses included. Unknown fields in a request body are rejected.',
  'Generated from the zod schemas that validate the requests (`npm run openapi`); do not edit by hand.',
].join('\n\n');

/** Builds the whole document. Deterministic: the same code gives byte-for-byte the same document. */
export const buildOpenApiDocument = () => {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: operationOf(route) };
  }
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'ResultGate API',
      version: '1.0.0',
      description: DESCRIPTION,
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: [
      { url: '/', description: 'The API root of a deployment (the stage URL, or http://localhost:3000).' },
    ],
    tags: [
      { name: 'public', description: 'No credential needed.' },
      { name: 'lab', description: 'Testing labs.' },
      { name: 'checkpoint', description: 'Checkpoint devices.' },
      { name: 'app', description: 'Citizen-app backends.' },
    ],
    paths,
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description:
            'A credential issued by the operator (`npm run admin`), shown once and stored only as a hash.',
        },
      },
      schemas: {
        ...Object.fromEntries(
          Object.entries(requestBodies).map(([name, schema]) => [name, toJsonSchema(schema, 'input')]),
        ),
        ...Object.fromEntries(
          Object.entries(responseBodies).map(([name, schema]) => [name, toJsonSchema(schema, 'output')]),
        ),
      },
      responses: Object.fromEntries(
        Object.values(errorResponses).map(({ name, codes, description, ...rest }) => [
          name,
          {
            description,
            ...('headers' in rest ? { headers: rest.headers } : {}),
            content: { 'application/json': { schema: toJsonSchema(errorResponseSchema(codes), 'output') } },
          },
        ]),
      ),
    },
  };
};

export type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>;

/** The document as committed in docs/openapi.json. */
export const renderOpenApiDocument = (): string => `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`;
