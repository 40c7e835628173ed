import type { APIGatewayProxyResult } from 'aws-lambda';

export interface Reply {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/** A JSON answer (none for 204 No Content); not cacheable unless the reply says otherwise. */
export const toResult = ({ status, body, headers }: Reply): APIGatewayProxyResult =>
  status === 204
    ? { statusCode: 204, headers: { 'Cache-Control': 'no-store', ...headers }, body: '' }
    : {
        statusCode: status,
        headers: { 'Content-Type': JSON_CONTENT_TYPE, 'Cache-Control': 'no-store', ...headers },
        body: JSON.stringify(body),
      };
