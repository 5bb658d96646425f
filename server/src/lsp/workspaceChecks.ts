// Diagnostics for files that are not open: one nix-instantiate process for all of them (or tree-sitter's view when
// Nix cannot be asked) and the scope findings, computed in slices after indexing and whenever files change on disk.
import type { Finding } from '../base/finding';
import { errorMessage } from '../base/log';
import { scopeFindings } from '../features/scopeDiagnostics';
import { approximateSyntaxFindings, explainSyntaxFinding } from '../features/syntaxFallback';
import { FACT_INTEREST } from '../index/fileSummary';
import type { IndexSnapshot } from '../index/workspaceIndex';
import { parseFull, type ParsedFile } from '../syntax/parsedFile';
import type { NixSyntaxResult } from '../tools/nixSyntax';
import { checkNixSyntaxFiles } from '../tools/nixSyntaxBatch';
import { syntaxFinding } from '../tools/syntaxFinding';
import type { CheckContext } from './checkContext';
import { collectNow, collectWhenIdle } from './idleCollector';

const SLICE_MS = 30;
/** Files checked between two collections: each leaves a parse and an AST behind. */
const COLLECT_EVERY = 1_000;

export class WorkspaceChecks {
  /** File -> the snapshot's ParsedFile its findings were computed from (a new one means new text). */
  private readonly checked = new Map<string, ParsedFile>();
  private running = false;
  private again = false;

  /** `changedOnDisk` hears of closed files whose text changed after they were first checked. */
  constructor(
    private readonly ctx: CheckContext,
    private readonly snapshot: () => IndexSnapshot | null,
    private readonly changedOnDisk: (files: ReadonlySet<string>) => void,
  ) {}

  /** Brings every closed file's findings up to date; cheap when nothing changed. */
  kick(): void {
    if (this.running) { this.again = true; return; }
    this.running = true;
    void this.loop().catch((err) => this.ctx.log.error(`workspace diagnostics failed: ${errorMessage(err)}`)).finally(() => { this.running = false; collectWhenIdle(); });
  }

  /** Forget what was computed (settings changed): the next kick recomputes everything. */
  reset(): void { this.checked.clear(); }

  /** Files whose findings this pass owns (every non-open `.nix` file, unless only open files are wanted). */
  private wanted(snap: IndexSnapshot): string[] {
    if (this.ctx.settings().openFilesOnly) return [];
    return [...snap.files.files].filter((f) => f.endsWith('.nix') && !this.ctx.isOpen(f) && snap.parsed(f) !== null);
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      const snap = this.snapshot();
      if (!snap) return;
      const wanted = this.wanted(snap);
      const wantedSet = new Set(wanted);
      const gone = new Set([...this.checked.keys()].filter((f) => !wantedSet.has(f) && !this.ctx.isOpen(f)));
      for (const f of gone) this.checked.delete(f);
      if (gone.size > 0) { this.ctx.publish('scope', gone, []); this.ctx.publish('nix', gone, []); }
      const todo = wanted.filter((f) => this.checked.get(f) !== snap.parsed(f));
      const changed = new Set(todo.filter((f) => this.checked.has(f)));
      if (changed.size > 0) this.changedOnDisk(changed);
      if (todo.length > 0) await this.check(snap, todo);
    } while (this.again);
  }

  private async check(snap: IndexSnapshot, files: string[]): Promise<void> {
    const trusted = this.ctx.trusted();
    const root = this.ctx.root();
    let verdicts = new Map<string, NixSyntaxResult>();
    if (root && this.ctx.tools.nixUsable(trusted)) {
      verdicts = await checkNixSyntaxFiles(root, files);
      const missing = [...verdicts.values()].find((v) => v.status === 'unavailable' && /not found$/.test(v.reason));
      if (missing) {
        this.ctx.tools.nixMissing = 'nix-instantiate was not found';
        this.ctx.status.nixMissing(this.ctx.tools.nixMissing);
      }
      this.ctx.status.setSyntax(missing ? 'approximate' : 'nix', missing ? this.ctx.tools.nixMissing : null);
    } else {
      this.ctx.status.setSyntax('approximate', this.ctx.tools.approximateReason(trusted));
    }
    const parser = this.ctx.parser();
    const scope = this.ctx.settings().scope;
    let batch: string[] = [];
    let scopeOut: Finding[] = [];
    let syntaxOut: Finding[] = [];
    const flush = () => {
      const files = new Set(batch.filter((f) => !this.ctx.isOpen(f)));
      this.ctx.publish('scope', files, scopeOut.filter((f) => files.has(f.file)));
      this.ctx.publish('nix', files, syntaxOut.filter((f) => files.has(f.file)));
      batch = []; scopeOut = []; syntaxOut = [];
    };
    let deadline = Date.now() + SLICE_MS;
    let sinceCollect = 0;
    for (const file of files) {
      const indexed = snap.parsed(file);
      if (!indexed || this.ctx.isOpen(file)) continue;
      const verdict = verdicts.get(file);
      const needsParse = scope || verdict?.status !== 'ok';
      // A parse of its own, dropped after use: keeping an AST for every workspace file would cost far more memory.
      const parsed = needsParse && parser ? parseFull(parser, indexed.text, FACT_INTEREST) : null;
      if (parsed && scope) scopeOut.push(...scopeFindings(file, parsed));
      if (verdict?.status === 'error') syntaxOut.push(explainSyntaxFinding(syntaxFinding(verdict, indexed.text, file)!, parsed ?? indexed));
      else if (verdict?.status !== 'ok' && parsed) syntaxOut.push(...approximateSyntaxFindings(file, parsed));
      this.checked.set(file, indexed);
      batch.push(file);
      sinceCollect++;
      if (Date.now() >= deadline) {
        flush();
        if (sinceCollect >= COLLECT_EVERY) { collectNow(); sinceCollect = 0; }
        await new Promise((r) => setImmediate(r));
        deadline = Date.now() + SLICE_MS;
        if (this.again) return;
      }
    }
    flush();
  }
}
