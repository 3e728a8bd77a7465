// The simulators read the same Clock as the client, so one virtual clock drives both in tests.
export {
  type AnyClock,
  type Clock,
  RealClock,
  VirtualClock,
  type VirtualClockOptions,
} from "../../src/core/clock.ts";
