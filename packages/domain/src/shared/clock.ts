/** Injected so tests can move time (token expiry, throttling windows, invitation expiry). */
export type Clock = () => Date;
export const systemClock: Clock = () => new Date();
