export { buildEmulatorApp } from './app.js';
export { EmulatorClock, taniumTime } from './clock.js';
export { EmulatorState } from './emulatorState.js';
export { type EmulatorOptions, type RunningEmulator, startEmulator } from './startEmulator.js';
