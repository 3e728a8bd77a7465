/** Public entry point. */
export { type Clock, RealClock, VirtualClock, type VirtualClockOptions } from "./core/clock.ts";
