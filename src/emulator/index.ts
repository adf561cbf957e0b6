export { startEmulator, DEFAULT_EMULATOR_HOST, DEFAULT_EMULATOR_PORT, DEFAULT_STATE_DIR } from './emulator.js';
export type { Emulator, EmulatorOptions } from './emulator.js';
export { STATS_PATH, HEALTH_PATH } from './server.js';
export type { CallStats } from './call-log.js';
