// Wraps every handler so that one bad file or a bug answers with an empty result and a log line, never a crash.
import type { CancellationToken } from 'vscode-languageserver';
import { errorMessage, type Logger } from '../base/log';

export function guarded<P, R>(
  log: Logger, name: string, fallback: R, handler: (params: P, token: CancellationToken) => R | Promise<R>,
): (params: P, token: CancellationToken) => Promise<R> {
  return async (params, token) => {
    if (token?.isCancellationRequested) return fallback;
    try {
      return await handler(params, token);
    } catch (err) {
      log.error(`${name} failed: ${errorMessage(err)}${err instanceof Error && err.stack ? `\n${err.stack}` : ''}`);
      return fallback;
    }
  };
}

/** The same for notifications, which have no result. */
export function guardedNotification<P>(log: Logger, name: string, handler: (params: P) => void | Promise<void>): (params: P) => Promise<void> {
  return async (params) => {
    try {
      await handler(params);
    } catch (err) {
      log.error(`${name} failed: ${errorMessage(err)}`);
    }
  };
}
