import { fromEnv } from '@aws-sdk/credential-provider-env';
import type { defaultProvider as nodeDefaultProvider } from '@aws-sdk/credential-provider-node';

/**
 * Stands in for `@aws-sdk/credential-provider-node` inside the Lambda bundles: the house construct
 * (lib/constructs/house-function.ts) aliases that package to this file. Lambda hands every function its
 * role's credentials in AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, the first place
 * the SDK's default chain looks; the rest of that chain (profiles, SSO, web identity, process, container
 * and instance metadata, with the STS and SSO clients they bring) can never answer there, yet it is
 * about 130 KB of the 320 KB a bundled DynamoDB client weighs, parsed at every cold start.
 *
 * Outside a bundle (the local stack, tests, the CLIs) the SDK's own chain is used, unchanged.
 */
export const defaultProvider: typeof nodeDefaultProvider = (init) => fromEnv(init);
