import { ConfigError } from './config/load-config.ts';
import { DataDirInUseError } from './storage/lock-file.ts';
import { DatabaseUnavailableError } from './storage/open-database.ts';
import { banner, startServer } from './server.ts';

/** `npm start` and `vigil serve`: run until SIGINT/SIGTERM, then close cleanly (releasing the lock). */
export async function serve(): Promise<void> {
  let server;
  try {
    server = await startServer();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error('Vigil cannot start: the configuration is invalid.');
      for (const issue of e.issues) console.error(`  ${issue.key}: ${issue.reason}`);
    } else if (e instanceof DataDirInUseError || e instanceof DatabaseUnavailableError) {
      console.error(`Vigil cannot start: ${e.message}`);
    } else {
      console.error(`Vigil cannot start: ${(e as Error).stack ?? e}`);
    }
    process.exitCode = 1;
    return;
  }
  console.log(banner(server));
  const running = server;
  const stop = (signal: string) => {
    console.log(`Received ${signal}: shutting down.`);
    running.close().then(
      () => process.exit(0),
      (e) => {
        console.error(`Shutdown failed: ${(e as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

if (import.meta.main) await serve();
