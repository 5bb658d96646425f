// The one place that starts processes: argument vectors only (never a shell string), a timeout, cancellation,
// stdin, and an output cap, so a hanging or chatty tool cannot hang or flood the server.
import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface ExecOptions {
  cwd?: string;
  stdin?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
  maxOutput?: number;
  env?: NodeJS.ProcessEnv;
  /** `ignore` sends stdout nowhere: a chatty program then never waits for this process to read it. */
  stdout?: 'pipe' | 'ignore';
}

export interface ExecResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Why the process did not finish normally: not found, timed out, cancelled. */
  failure: 'not-found' | 'timeout' | 'cancelled' | null;
}

export function exec(command: string, args: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
  const { cwd, stdin, timeoutMs = 30_000, signal, maxOutput = 8 * 1024 * 1024, env, stdout: stdoutMode = 'pipe' } = options;
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let failure: ExecResult['failure'] = null;
    let settled = false;
    // A process group of its own, so a timeout kills a wrapper script's children too (they hold the pipes open).
    const child = spawn(command, [...args], { cwd, env: env ?? process.env, stdio: ['pipe', stdoutMode, 'pipe'], shell: false, detached: true });
    const finish = (code: number | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve({ code, stdout, stderr, failure });
    };
    const kill = (why: 'timeout' | 'cancelled') => {
      failure = why;
      try { if (child.pid) process.kill(-child.pid, 'SIGKILL'); } catch { child.kill('SIGKILL'); }
      // Do not wait for pipes a stray grandchild may still hold: the caller asked to stop now.
      setTimeout(() => finish(null), 100).unref();
    };
    const onAbort = () => kill('cancelled');
    const timer = setTimeout(() => kill('timeout'), timeoutMs);
    if (signal?.aborted) kill('cancelled');
    signal?.addEventListener('abort', onAbort);
    // Decoding per stream (not per chunk) keeps a multi-byte character split across chunks intact.
    child.stdout?.setEncoding('utf8');
    child.stderr?.setEncoding('utf8');
    child.stdout?.on('data', (d: string) => { if (stdout.length < maxOutput) stdout += d; });
    child.stderr?.on('data', (d: string) => { if (stderr.length < maxOutput) stderr += d; });
    child.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') failure = 'not-found';
      finish(null);
    });
    child.on('close', (code) => finish(code));
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(stdin ?? '');
  });
}

/** Runs a program attached to this process's terminal (the CLI's dry-run runner); resolves its exit code. */
export function execInherit(command: string, args: readonly string[], cwd: string): Promise<{ code: number | null; missing: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(command, [...args], { cwd, stdio: 'inherit', shell: false });
    child.on('error', (err: NodeJS.ErrnoException) => resolve({ code: null, missing: err.code === 'ENOENT' }));
    child.on('close', (code) => resolve({ code, missing: false }));
  });
}

/** Whether `program` is an executable on PATH (what a shell would find). */
export function onPath(program: string, pathVar = process.env.PATH ?? ''): boolean {
  if (program.includes('/')) return isExecutable(program);
  return pathVar.split(delimiter).some((dir) => dir !== '' && isExecutable(join(dir, program)));
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
