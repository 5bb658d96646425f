// statix and deadnix on saved files: when a file is opened or saved (never per keystroke, since both read the disk),
// and once over the whole workspace after indexing. Only in a trusted workspace; a missing tool is said once.
import { runDeadnix } from '../tools/deadnix';
import { lintFolder } from '../tools/linterBatch';
import { runStatix } from '../tools/statix';
import type { ToolRun } from '../tools/toolRun';
import type { CheckContext } from './checkContext';
import type { LinterName } from './diagnosticsStatus';

const LINTERS: readonly LinterName[] = ['statix', 'deadnix'];

export class LinterChecks {
  private readonly running = new Map<string, AbortController>();

  /** `disable` turns a tool off for this session (the user chose so when told it is missing). */
  constructor(private readonly ctx: CheckContext, private readonly disable: (tool: LinterName) => void) {}

  /** Which linters may run now; the status tells the client why the others do not. */
  private active(): LinterName[] {
    const settings = this.ctx.settings();
    return LINTERS.filter((tool) => {
      if (!settings[tool].enable) { this.ctx.status.setTool(tool, 'disabled'); return false; }
      if (!this.ctx.trusted()) { this.ctx.status.setTool(tool, 'untrusted'); return false; }
      if (this.ctx.tools.linterMissing.has(tool)) { this.ctx.status.setTool(tool, 'missing'); return false; }
      return true;
    });
  }

  /** Lints the saved `file`; `text` is its saved text (byte columns are converted against it). */
  async lintFile(file: string, text: string | null): Promise<void> {
    const root = this.ctx.root();
    if (!root) return;
    await Promise.all(this.active().map(async (tool) => {
      const key = `${tool}\0${file}`;
      this.running.get(key)?.abort();
      const controller = new AbortController();
      this.running.set(key, controller);
      const command = this.ctx.settings()[tool].path;
      const opts = { cwd: root, file, signal: controller.signal, ...(text !== null ? { text } : {}) };
      try {
        const run = tool === 'statix' ? await runStatix({ statix: command, ...opts }) : await runDeadnix({ deadnix: command, ...opts });
        if (!controller.signal.aborted) this.accept(tool, command, run, new Set([file]));
      } finally {
        if (this.running.get(key) === controller) this.running.delete(key);
      }
    }));
  }

  /** Every file at once (one process per tool), for the workspace-wide view after indexing. */
  async lintWorkspace(fileText: (file: string) => string | null, known: (file: string) => boolean): Promise<void> {
    const root = this.ctx.root();
    if (!root) return;
    await Promise.all(this.active().map(async (tool) => {
      const command = this.ctx.settings()[tool].path;
      const run = await lintFolder(tool, { command, root, fileText });
      // Open files are linted on their own when opened and saved; their findings must not be replaced from here.
      const findings = run.status === 'ok' ? run.findings.filter((f) => known(f.file) && !this.ctx.isOpen(f.file)) : [];
      this.accept(tool, command, run.status === 'ok' ? { ...run, findings } : run, new Set(findings.map((f) => f.file)));
    }));
  }

  private accept(tool: LinterName, command: string, run: ToolRun, files: ReadonlySet<string>): void {
    switch (run.status) {
      case 'ok':
        this.ctx.status.setTool(tool, 'running');
        for (const note of run.notes ?? []) this.ctx.log.debug(note);
        this.ctx.publish(tool, files, run.findings);
        return;
      case 'missing':
        this.ctx.tools.linterMissing.add(tool);
        this.ctx.status.setTool(tool, 'missing');
        this.ctx.status.linterMissing(tool, command, () => this.disable(tool));
        return;
      case 'cancelled':
        return;
      default:
        this.ctx.log.warn(`${tool}: ${run.detail}`);
    }
  }

  dispose(): void {
    for (const c of this.running.values()) c.abort();
    this.running.clear();
  }
}
