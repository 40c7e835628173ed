import type { APIGatewayProxyResult } from 'aws-lambda';
import { errorBody } from '../contract/error-body.js';
import { type GatewayResponseType, gatewayErrors } from '../contract/gateway-errors.js';
import { errors } from '../contract/vocabulary.js';
import { JSON_CONTENT_TYPE } from '../functions/http/reply.js';

/**
 * The answers the local gateway makes itself. Where API Gateway would answer, they are its gateway
 * responses (contract/gateway-errors.ts), body and status, so a client sees on a laptop what it sees in
 * the cloud. Only the local gateway's own checks of the request target and of the HTTP framing, which
 * API Gateway does before any response type applies, have messages of their own.
 */
export const gatewayAnswer = (type: GatewayResponseType): APIGatewayProxyResult => {
  const { code, status, message } = gatewayErrors[type];
  return {
    statusCode: status,
    headers: { 'Content-Type': JSON_CONTENT_TYPE },
    body: JSON.stringify(errorBody(code, message)),
  };
};

/** A request refused before any route; `message` never echoes the input. */
export const badRequest = (message: string): APIGatewayProxyResult => ({
  statusCode: errors.VALIDATION_FAILED.status,
  headers: { 'Content-Type': JSON_CONTENT_TYPE },
  body: JSON.stringify(errorBody('VALIDATION_FAILED', message)),
});

/** The raw HTTP answer to bytes Node cannot parse as a request; the connection is closed after it. */
export const notHttpAnswer = (): string => {
  const body = JSON.stringify(errorBody('VALIDATION_FAILED', 'The request is not valid HTTP.'));
  return `HTTP/1.1 400 Bad Request\r\nContent-Type: ${JSON_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
};
