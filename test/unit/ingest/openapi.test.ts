import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { routes } from '../../../contract/routes.js';
import { handler } from '../../../functions/handlers/get-openapi.js';
import { buildOpenApiDocument, renderOpenApiDocument } from '../../../functions/openapi/document.js';
import { projectRoot } from '../../../lib/paths.js';
import { apiEvent, lambdaContext } from '../../support/fixtures.js';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** The parts of the OpenAPI 3.1 structure this document uses, with the fields the specification requires. */
const responseSchema = z.union([
  z.strictObject({ $ref: z.string().startsWith('#/components/responses/') }),
  z.looseObject({
    description: z.string().min(1),
    headers: z.record(z.string(), z.looseObject({ schema: z.looseObject({}) })).optional(),
    content: z.record(z.string(), z.looseObject({ schema: z.looseObject({}) })).optional(),
  }),
]);

const operationSchema = z.looseObject({
  operationId: z.string().min(1),
  summary: z.string().min(1),
  description: z.string().optional(),
  tags: z.array(z.string()).optional(),
  security: z.array(z.record(z.string(), z.array(z.string()))).optional(),
  parameters: z
    .array(
      z.looseObject({
        name: z.string().min(1),
        in: z.enum(['path', 'query', 'header', 'cookie']),
        required: z.boolean().optional(),
        schema: z.looseObject({}),
      }),
    )
    .optional(),
  requestBody: z
    .looseObject({ required: z.boolean().optional(), content: z.record(z.string(), z.looseObject({})) })
    .optional(),
  responses: z.record(z.string().regex(/^[1-5](\d\d|XX)$|^default$/), responseSchema),
});

const openApi31Schema = z.looseObject({
  openapi: z.string().regex(/^3\.1\.\d+$/),
  jsonSchemaDialect: z.string().optional(),
  info: z.looseObject({
    title: z.string().min(1),
    version: z.string().min(1),
    description: z.string().optional(),
  }),
  servers: z.array(z.looseObject({ url: z.string() })).optional(),
  paths: z.record(z.string().startsWith('/'), z.partialRecord(z.enum(METHODS), operationSchema)),
  components: z.looseObject({
    securitySchemes: z.record(
      z.string(),
      z.looseObject({ type: z.enum(['apiKey', 'http', 'mutualTLS', 'oauth2', 'openIdConnect']) }),
    ),
    schemas: z.record(z.string(), z.looseObject({})),
    responses: z.record(z.string(), z.looseObject({ description: z.string().min(1) })),
  }),
});

/** Every `$ref` anywhere in a value. */
const refsIn = (value: unknown): string[] => {
  if (Array.isArray(value)) return value.flatMap(refsIn);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    key === '$ref' && typeof inner === 'string' ? [inner] : refsIn(inner),
  );
};

/** Follows a local JSON pointer (`#/components/schemas/Error`). */
const resolve = (document: unknown, pointer: string): unknown =>
  pointer
    .slice(2)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>(
      (node, part) =>
        typeof node === 'object' && node !== null && part in node
          ? Object.getOwnPropertyDescriptor(node, part)?.value
          : undefined,
      document,
    );

const document = openApi31Schema.parse(JSON.parse(JSON.stringify(buildOpenApiDocument())));
const operationOf = (path: string, method: string) =>
  document.paths[path]?.[z.enum(METHODS).parse(method.toLowerCase())];

describe('the OpenAPI document', () => {
  it('is committed exactly as `npm run openapi` generates it now', async () => {
    const committed = await readFile(join(projectRoot, 'docs', 'openapi.json'), 'utf8');

    expect(committed).toBe(renderOpenApiDocument());
  });

  it('is structurally valid OpenAPI 3.1 with every $ref resolving inside it', () => {
    const refs = refsIn(document);

    expect(refs.length).toBeGreaterThan(0);
    for (const pointer of refs) {
      expect(pointer.startsWith('#/')).toBe(true);
      expect(resolve(document, pointer), pointer).toBeDefined();
    }
  });

  it('has exactly the routes of lib/routes.ts, each with its method and path', () => {
    const documented = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );

    expect(documented.sort()).toEqual(routes.map((route) => `${route.method} ${route.path}`).sort());
  });

  it('gives every operation a unique operationId', () => {
    const ids = routes.map((route) => operationOf(route.path, route.method)?.operationId);

    expect(new Set(ids).size).toBe(routes.length);
  });

  it.each(routes.map((route) => [route.method, route.path, route.access] as const))(
    '%s %s declares bearer security when it is not public, and none needed when it is (%s)',
    (method, path, access) => {
      const operation = operationOf(path, method);

      if (access === 'public') expect(operation?.security).toEqual([]);
      else expect(operation?.security).toEqual([{ bearer: [] }]);
      expect(document.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    },
  );

  it.each(routes.map((route) => [route.method, route.path] as const))(
    '%s %s declares each of its path parameters',
    (method, path) => {
      const names = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);

      const parameters = operationOf(path, method)?.parameters ?? [];

      expect(parameters.map((parameter) => parameter.name)).toEqual(names);
      for (const parameter of parameters) expect(parameter).toMatchObject({ in: 'path', required: true });
    },
  );

  it.each(routes.map((route) => [route.method, route.path, route.access] as const))(
    '%s %s lists the contract’s error statuses in the error shape',
    (method, path, access) => {
      const operation = operationOf(path, method);
      const statuses = Object.keys(operation?.responses ?? {});

      expect(statuses).toEqual(expect.arrayContaining(['429', '500']));
      if (access !== 'public') expect(statuses).toEqual(expect.arrayContaining(['401', '403']));
      if (method === 'POST') {
        expect(operation?.requestBody?.required).toBe(true);
        expect(statuses).toEqual(expect.arrayContaining(['400', '413']));
      }
      if (path.includes('{')) expect(statuses).toContain('404');
      for (const status of statuses.filter((s) => Number(s) >= 400)) {
        const response = operation?.responses[status];
        const pointer = z.strictObject({ $ref: z.string() }).safeParse(response);
        const target = pointer.success ? resolve(document, pointer.data.$ref) : response;
        expect(JSON.stringify(target)).toContain('"required":["error"]');
      }
    },
  );

  it('documents the lab’s POST /v1/results with the decisions the contract leaves open', () => {
    const operation = operationOf('/v1/results', 'POST');

    expect(operation?.description).toMatch(/not registered for rejects the item/);
    expect(operation?.description).toMatch(/UTC with millisecond precision/);
    expect(operation?.responses['202']).toBeDefined();
    expect(JSON.stringify(document.components.schemas.SubmitResultsRequest)).toContain('"maxItems":500');
  });

  it('describes request bodies with unknown fields refused at every level', () => {
    const request = JSON.stringify(document.components.schemas.SubmitResultsRequest);

    expect(request.match(/"additionalProperties":false/g)).toHaveLength(3);
  });

  it('is served at GET /v1/openapi.json as committed', async () => {
    const response = await handler(apiEvent({ method: 'GET', path: '/v1/openapi.json' }), lambdaContext());

    expect(response.statusCode).toBe(200);
    expect(response.headers?.['Cache-Control']).toBe('public, max-age=300');
    expect(JSON.parse(response.body)).toEqual(buildOpenApiDocument());
  });

  it('passes the Redocly linter’s recommended rules with no error', async () => {
    const source = await readFile(join(projectRoot, 'docs', 'openapi.json'), 'utf8');
    const config = await createConfig({ extends: ['recommended'] });

    const problems = await lintFromString({ source, absoluteRef: 'docs/openapi.json', config });

    expect(problems.filter((problem) => problem.severity === 'error').map((p) => p.message)).toEqual([]);
  });

  it('uses only formats that JSON Schema and OpenAPI define', () => {
    const formats = [...JSON.stringify(document).matchAll(/"format":"([^"]+)"/g)].map(([, format]) => format);

    expect(formats.length).toBeGreaterThan(0);
    expect(formats.filter((format) => !['date-time', 'date', 'uri'].includes(format ?? ''))).toEqual([]);
  });

  it.each(routes.map((route) => [route.method, route.path] as const))(
    '%s %s may answer 429 RATE_LIMITED, with Retry-After',
    (method, path) => {
      expect(operationOf(path, method)?.responses['429']).toEqual({
        $ref: '#/components/responses/RateLimited',
      });
      expect(JSON.stringify(document.components.responses.RateLimited)).toContain('"Retry-After"');
    },
  );
});
