/** Time as a port, so rules about expiry and deletion are testable without waiting. */
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };
