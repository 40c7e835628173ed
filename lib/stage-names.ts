/** The deployment stages (lib/stages.ts), in a module without the CDK so the local stack can name them. */
export const stageNames = ['dev', 'prod'] as const;
export type StageName = (typeof stageNames)[number];
