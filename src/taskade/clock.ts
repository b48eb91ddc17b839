/** The one clock lives in the model; the request queue imports it from here. */
export { systemClock, VirtualClock, type Clock } from '../model/clock.js';
