import type { ValidityWindows } from '../../contract/verdict.js';
import { hours } from '../../contract/verdict.js';
import type { Outcome, TestType } from '../../contract/vocabulary.js';

/** What a checkpoint may know of one stored result of a holder (the verdict rule's input and more). */
export interface HolderResult {
  readonly labId: string;
  readonly labName: string;
  readonly sampleId: string;
  readonly testType: TestType;
  readonly result: Outcome;
  /** UTC ISO timestamps. */
  readonly sampledAt: string;
  readonly resultedAt: string;
  readonly maskedName: string;
  readonly birthYear: number;
  readonly birthDateCheck: string;
}

/** The windows from the deployment's configuration (hours per test type). */
export const validityWindows = (config: {
  readonly VALIDITY_RT_PCR_HOURS: number;
  readonly VALIDITY_RAPID_ANTIGEN_HOURS: number;
}): ValidityWindows => ({
  RT_PCR: hours(config.VALIDITY_RT_PCR_HOURS),
  RAPID_ANTIGEN: hours(config.VALIDITY_RAPID_ANTIGEN_HOURS),
});
