// statix and deadnix over a whole folder in one process each (`hostlens check`): their JSON for every file, with the
// paths they print (`./hosts/x.nix`) made workspace-relative.
import { errorMessage } from '../base/log';
import { parseDeadnixJson } from './deadnix';
import { parseStatixJson } from './statix';
import { classifyLinterExit, execTool, MalformedOutput, type ToolRun } from './toolRun';

export type Linter = 'statix' | 'deadnix';

export interface LintFolderOptions {
  /** The executable: a name on PATH or a path. */
  command: string;
  root: string;
  /** The text of a workspace-relative file, which byte columns are converted against. */
  fileText: (rel: string) => string | null;
  timeoutMs?: number;
  signal?: AbortSignal;
}

const relative = (p: string) => p.replace(/^(?:\.\/)+/, '');

export async function lintFolder(tool: Linter, opts: LintFolderOptions): Promise<ToolRun> {
  const args = tool === 'statix' ? ['check', '-o', 'json', '.'] : ['-o', 'json', '.'];
  const r = await execTool(opts.command, args, { cwd: opts.root, signal: opts.signal, timeoutMs: opts.timeoutMs ?? 120_000, maxOutput: 64 * 1024 * 1024 });
  if ('error' in r) return { status: 'failed', detail: r.error };
  const verdict = classifyLinterExit(tool, opts.command, opts.root, r);
  if (verdict) return verdict;
  const notes: string[] = [];
  const text = (f: string) => opts.fileText(relative(f));
  try {
    const found = tool === 'statix' ? parseStatixJson(r.stdout, text, notes) : parseDeadnixJson(r.stdout, text, notes);
    const findings = found.map((f) => ({ ...f, file: relative(f.file) }));
    return notes.length > 0 ? { status: 'ok', findings, notes } : { status: 'ok', findings };
  } catch (err) {
    if (err instanceof MalformedOutput) return { status: 'malformed', detail: `${tool}: ${err.message}` };
    return { status: 'failed', detail: `${tool} output could not be read: ${errorMessage(err)}` };
  }
}
