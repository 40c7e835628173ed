import * as webStreams from 'node:stream/web';
import { describe, expect, it } from 'vitest';
import { ReadableStream } from '../../../functions/stand-ins/web-streams.js';

describe('the node:stream/web stand-in of the Lambda bundles', () => {
  it("is node:stream/web's own ReadableStream, so a streamed body is still recognised", () => {
    expect(ReadableStream).toBe(webStreams.ReadableStream);
    expect(new webStreams.ReadableStream()).toBeInstanceOf(ReadableStream);
  });
});
