/** A source of the current time. Code that reads the time takes one, so a test can fix it at a boundary. */
export interface Clock {
  now(): Date;
}

/** The real time: the one Clock that production code passes in. */
export const systemClock: Clock = { now: () => new Date() };
