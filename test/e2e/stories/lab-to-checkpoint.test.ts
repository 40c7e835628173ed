import { describe } from 'vitest';
import { startHttpDriver } from '../../stories/http-driver.js';
import { labToCheckpointStories } from '../../stories/lab-to-checkpoint.cases.js';

/**
 * The lab-to-checkpoint story over HTTP against the local stack as `npm start` runs it
 * (test/stories/http-driver.ts), rate limits on; test/integration/stories/ runs the same cases in-process.
 */
describe('the lab-to-checkpoint story, over HTTP against the local stack', () => {
  labToCheckpointStories(() => startHttpDriver());
});
