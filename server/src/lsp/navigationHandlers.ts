// Navigation requests (definition, references, hover, symbols, completion) and the host-flag lenses: LSP params to
// index terms, a pure feature, and its answer back to LSP types.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CompletionItemKind, SymbolKind, type CancellationToken, type CodeLens, type CompletionItem, type CompletionList, type CompletionParams,
  type Connection, type DefinitionParams, type DocumentSymbol, type DocumentSymbolParams, type Hover, type HoverParams,
  type Location, type ReferenceParams, type SymbolInformation, type WorkspaceSymbolParams,
} from 'vscode-languageserver';
import { errorMessage, type Logger } from '../base/log';
import type { LineIndex } from '../base/text';
import { lineIndexOf } from '../index/astQueries';
import { complete, type CompletionKind } from '../features/completion';
import { definition } from '../features/definition';
import { flagLenses } from '../features/hostFlags';
import { hover } from '../features/hover';
import type { NavContext, NavTarget } from '../features/navContext';
import { references } from '../features/references';
import { documentSymbols, workspaceSymbols, type DocSymbol, type SymbolKindName } from '../features/symbols';
import type { IndexSnapshot } from '../index/workspaceIndex';
import { DEFAULT_HOST_FLAGS, type ServerSettings } from '../shared/protocol';
import type { HandlerContext } from './handlers';
import { ExternalSourceLoader } from './externalSourceLoader';
import { FlakeLockInputs } from './flakeLockInputs';

type Request = <P, R>(name: string, fallback: R, handler: (params: P) => R) => (params: P, token: CancellationToken) => Promise<R>;

const MAX_COMPLETIONS = 500;

const SYMBOL_KINDS: Record<SymbolKindName, SymbolKind> = {
  variable: SymbolKind.Variable, field: SymbolKind.Field, namespace: SymbolKind.Namespace, function: SymbolKind.Function,
  property: SymbolKind.Property, module: SymbolKind.Module, package: SymbolKind.Package, key: SymbolKind.Key, boolean: SymbolKind.Boolean,
};
const COMPLETION_KINDS: Record<CompletionKind, CompletionItemKind> = {
  host: CompletionItemKind.Module, flag: CompletionItemKind.Property, option: CompletionItemKind.Field, input: CompletionItemKind.Reference,
};

export class NavigationHandlers {
  private readonly externals: ExternalSourceLoader;
  private readonly locked: FlakeLockInputs;

  /** `trusted`: Workspace Trust, which gates running nix to find locked inputs in the store. */
  constructor(private readonly ctx: HandlerContext, private readonly settings: () => ServerSettings, private readonly log: Logger, private readonly request: Request, private readonly trusted: () => boolean) {
    this.externals = new ExternalSourceLoader(log);
    // Once Nix has answered, the new sources are scanned right away rather than by the next request.
    this.locked = new FlakeLockInputs(log, () => { void this.nav().catch(() => undefined); });
  }

  /** Registers every navigation request; `lineOneHover` answers hovers nothing more specific claims. */
  register(c: Connection, lineOneHover: (p: HoverParams) => Hover | null): void {
    c.onHover(this.on('hover', async (p: HoverParams) => {
      // A failing navigation hover must not take the line-1 hover with it.
      const nav = await this.hover(p).catch((err: unknown) => { this.log.error(`navigation hover failed: ${errorMessage(err)}`); return null; });
      return nav ?? lineOneHover(p);
    }));
    c.onDefinition(this.on('definition', (p: DefinitionParams) => this.withNav(p.textDocument.uri, (nav, file, at) => this.locations(definition(nav, file, at(p.position))))));
    c.onReferences(this.on('references', (p: ReferenceParams) => this.withNav(p.textDocument.uri, (nav, file, at) => this.locations(references(nav, file, at(p.position), p.context.includeDeclaration)))));
    c.onDocumentSymbol(this.on('documentSymbol', (p: DocumentSymbolParams) => this.withNav(p.textDocument.uri, (nav, file) => documentSymbols(nav, file).map(toDocumentSymbol))));
    c.onWorkspaceSymbol(this.on('workspaceSymbol', async (p: WorkspaceSymbolParams) => {
      const nav = await this.nav();
      return nav ? workspaceSymbols(nav, p.query).flatMap((s): SymbolInformation[] => {
        const location = this.location(s.target);
        return location ? [{ name: s.name, kind: SYMBOL_KINDS[s.kind], location, containerName: s.container }] : [];
      }) : null;
    }));
    c.onCompletion(this.on('completion', (p: CompletionParams) => this.withNav(p.textDocument.uri, (nav, file, at, lines): CompletionList => {
      // A long list is cut and marked incomplete: the editor asks again as the word grows.
      const entries = complete(nav, file, at(p.position));
      const items = entries.slice(0, MAX_COMPLETIONS).map((e): CompletionItem => ({
        label: e.label, kind: COMPLETION_KINDS[e.kind], detail: e.detail,
        textEdit: { range: lines.range(e.replace), newText: e.label },
      }));
      return { isIncomplete: entries.length > MAX_COMPLETIONS, items };
    })));
  }

  /** A guarded request whose handler waits for the external sources; cancellation and errors answer null. */
  private on<P, R>(name: string, handler: (params: P) => Promise<R | null>): (params: P, token: CancellationToken) => Promise<R | null> {
    const wrapped = this.request<P, Promise<R | null>>(name, Promise.resolve(null), handler);
    return async (params, token) => await wrapped(params, token);
  }

  /** A hover from the navigation features, or null so that the line-1 hover answers. */
  private async hover(p: HoverParams): Promise<Hover | null> {
    return this.withNav(p.textDocument.uri, (nav, file, at, lines) => {
      const h = hover(nav, file, at(p.position));
      return h ? { contents: { kind: 'markdown', value: h.markdown }, range: lines.range(h.span) } : null;
    });
  }

  /** Stops a Nix run still going (the server is shutting down). */
  dispose(): void { this.locked.dispose(); }

  /** Code lenses above each host flag (`on: m3-ares, m3-kratos`). */
  lenses(snap: IndexSnapshot, file: string): CodeLens[] {
    const parsed = snap.parsed(file);
    if (!parsed) return [];
    // Opening a file is early enough to ask Nix for the locked inputs, so that they are ready for the first jump.
    void this.lockedInputs().catch(() => undefined);
    const lines = lineIndexOf(parsed);
    return flagLenses(this.navFor(snap, this.externals.ready), file).map((l) => {
      const at = lines.position(l.span.start);
      return { range: { start: { line: at.line, character: 0 }, end: { line: at.line, character: 0 } }, command: { title: l.title, command: '' } };
    });
  }

  private navFor(snap: IndexSnapshot, externals: NavContext['externals']): NavContext {
    const flags = this.settings().hostFlags ?? DEFAULT_HOST_FLAGS;
    return { snap, externals, settings: { flagFiles: flags.files ?? DEFAULT_HOST_FLAGS.files, optionPrefixes: flags.optionPrefixes ?? DEFAULT_HOST_FLAGS.optionPrefixes } };
  }

  private async nav(): Promise<NavContext | null> {
    const s = this.settings();
    const locked = await this.lockedInputs();
    const externals = await this.externals.sources(this.ctx.paths()?.root ?? null, s.externalSources, s.maxFileSize, locked);
    const snap = this.ctx.snapshot();
    return snap ? this.navFor(snap, externals) : null;
  }

  private lockedInputs(): Promise<ReadonlyMap<string, string>> {
    const s = this.settings();
    const opts = { enabled: s.externalSourcesFromFlakeLock !== false, trusted: this.trusted(), nix: typeof s.nixPath === 'string' ? s.nixPath.trim() : '' };
    return this.locked.current(this.ctx.paths()?.root ?? null, opts, () => this.ctx.snapshot());
  }

  private async withNav<R>(uri: string, fn: (nav: NavContext, file: string, at: (p: { line: number; character: number }) => number, lines: LineIndex) => R): Promise<R | null> {
    const nav = await this.nav();
    const file = this.ctx.paths()?.relative(uri);
    const parsed = file ? nav?.snap.parsed(file) : null;
    if (!nav || !file || !parsed) return null;
    const lines = lineIndexOf(parsed);
    return fn(nav, file, (p) => lines.offset(p), lines);
  }

  private location(t: NavTarget): Location | null {
    const paths = this.ctx.paths();
    if (!paths) return null;
    return { uri: t.root ? pathToFileURL(path.join(t.root, t.file)).toString() : paths.uri(t.file), range: t.range };
  }

  private locations(targets: NavTarget[]): Location[] | null {
    const out = targets.map((t) => this.location(t)).filter((l): l is Location => l !== null);
    return out.length > 0 ? out : null;
  }
}

function toDocumentSymbol(s: DocSymbol): DocumentSymbol {
  return {
    name: s.name || '…', detail: s.detail, kind: SYMBOL_KINDS[s.kind], range: s.range, selectionRange: s.selection,
    children: s.children.map(toDocumentSymbol),
  };
}
