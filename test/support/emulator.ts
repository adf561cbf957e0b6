import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator/index.js';
import { awsClients } from './clients.js';

/** Starts an emulator on a free port for one test; closes it when the test ends. */
export async function startTestEmulator(
  t: { after: (fn: () => Promise<void>) => void },
  options: EmulatorOptions = {},
): Promise<{ emulator: Emulator; clients: ReturnType<typeof awsClients> }> {
  const emulator = await startEmulator({ port: 0, speed: 20, ...options });
  const clients = awsClients(emulator.url);
  t.after(async () => {
    clients.ecs.destroy();
    clients.ecr.destroy();
    clients.elbv2.destroy();
    await emulator.close();
  });
  return { emulator, clients };
}
