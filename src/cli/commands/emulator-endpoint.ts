/** Where the emulator commands look when nothing names an endpoint: the emulator's default address. */
export const DEFAULT_EMULATOR_ENDPOINT = 'http://127.0.0.1:4577';
/** The account the emulator gives any access key that is not a 12-digit account id. */
export const EMULATOR_DEFAULT_ACCOUNT = '000000000000';
