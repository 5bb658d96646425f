// A levelled logger with an injectable sink, so the server logs to the client and tests stay quiet.

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';
export type LogSink = (level: LogLevel, message: string) => void;

export class Logger {
  constructor(private sink: LogSink = () => undefined) {}
  setSink(sink: LogSink): void { this.sink = sink; }
  error(message: string): void { this.sink('error', message); }
  warn(message: string): void { this.sink('warn', message); }
  info(message: string): void { this.sink('info', message); }
  debug(message: string): void { this.sink('debug', message); }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
