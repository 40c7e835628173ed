import type { Outcome, TestType } from '../../contract/vocabulary.js';

/**
 * The steps of the lab-to-checkpoint story, written once. Two drivers take them: in-process (the handler
 * modules called with gateway-shaped events, test/stories/in-process-driver.ts) and over HTTP (the local
 * stack as `npm start` runs it, test/stories/http-driver.ts). A case only says what an actor does and
 * reads the answer, so the same case runs against both.
 */

/** An answer as a client sees it: status, headers (lower-case names), and the JSON body. */
export interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

/** Whoever calls: a credential, or none at all (an anonymous caller). */
export interface Caller {
  readonly credential?: string;
}

export interface Lab extends Caller {
  readonly id: string;
  readonly credential: string;
  readonly name: string;
  readonly province: string;
  readonly testTypes: readonly TestType[];
}

export interface Device extends Caller {
  readonly id: string;
  readonly credential: string;
}

export interface App extends Caller {
  readonly id: string;
  readonly credential: string;
}

export interface NewLab {
  readonly name?: string;
  readonly testTypes?: readonly TestType[];
}

/** What a holder tells the checkpoint (manual entry) or the app (to get a pass). */
export interface Identity {
  readonly idType: 'CCCD' | 'CMND' | 'PASSPORT';
  readonly idNumber: string;
  readonly dateOfBirth: string;
}

export interface Steps {
  /** Given: an operator registers a lab (admin CLI or registry commands), in Quảng Ninh. */
  aLab(lab?: NewLab): Promise<Lab>;
  aDevice(name?: string): Promise<Device>;
  anApp(name?: string): Promise<App>;

  /** POST /v1/results as `lab`. */
  labSubmits(lab: Caller, results: readonly unknown[]): Promise<Answer>;
  /** GET /v1/results/{sampleId} as `lab`. */
  labChecks(lab: Caller, sampleId: string): Promise<Answer>;
  /**
   * Waits until `sampleId` is stored (the lab's GET answers 200, with `result` when one is named, as after
   * a correction) and returns that answer. In-process the queued messages are handed to the store
   * handler; over HTTP the stack's poller does it.
   */
  storedEventually(lab: Caller, sampleId: string, result?: Outcome): Promise<Answer>;

  /** POST /v1/verify as `device`: `{qr}` or a manual entry. */
  checkpointVerifies(device: Caller, body: unknown): Promise<Answer>;
  /** POST /v1/passes as `app`. */
  appIssuesPass(app: Caller, identity: Identity): Promise<Answer>;

  operatorSuspendsLab(lab: Lab): Promise<void>;
  operatorRevokesDevice(device: Device): Promise<void>;

  /** GET /v1/facilities, no credential. */
  publicFacilities(): Promise<Answer>;
  /** GET /v1/health, no credential. */
  health(): Promise<Answer>;

  /**
   * The system stops and starts again on the same data. Over HTTP: Ctrl-C (SIGINT) and `npm start` again.
   * In-process: every handler module is loaded afresh (a cold start) over the same tables and queue.
   */
  restart(): Promise<void>;
}

export interface Driver {
  /** 'in-process' or 'http', for the describe title. */
  readonly name: string;
  readonly steps: Steps;
  stop(): Promise<void>;
}
