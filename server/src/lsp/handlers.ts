// Request handlers: translate LSP params to index terms, ask a feature, translate the answer back.
import type { CodeLens, CodeLensParams, Hover, HoverParams } from 'vscode-languageserver';
import { LineIndex } from '../base/text';
import { affectsLens, explainReach, flakeHostLenses, renderReach } from '../features/affectedHosts';
import { FLAKE } from '../index/flake';
import type { IndexSnapshot } from '../index/workspaceIndex';
import { Commands, type DryRunArgs, type HostRef } from '../shared/protocol';
import type { Paths } from './convert';

export interface HandlerContext {
  snapshot(): IndexSnapshot | null;
  paths(): Paths | null;
  /** Lenses other features add to a file (host flags). */
  extraLenses?(snap: IndexSnapshot, file: string): CodeLens[];
}

function hostRefs(snap: IndexSnapshot, names: readonly string[]): HostRef[] {
  const kinds = new Map(snap.flake.hosts.map((h) => [h.name, h.kind]));
  return names.map((name) => ({ name, kind: kinds.get(name) ?? 'nixos' }));
}

const LINE_ONE = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export function onCodeLens(ctx: HandlerContext, params: CodeLensParams): CodeLens[] | null {
  const snap = ctx.snapshot();
  const file = ctx.paths()?.relative(params.textDocument.uri);
  if (!snap || !file) return null;
  const lens = affectsLens(snap, file);
  const args: DryRunArgs = { hosts: hostRefs(snap, lens.hosts), file };
  const lenses: CodeLens[] = [{
    range: LINE_ONE,
    command: lens.hosts.length
      ? { title: lens.title, command: Commands.dryRunHosts, arguments: [args] }
      : { title: lens.title, command: '' },
  }];
  if (lens.hosts.length > 0 && file !== FLAKE) {
    lenses.push({ range: LINE_ONE, command: { title: 'why?', command: Commands.showReach, arguments: [{ file, text: renderReach(explainReach(snap, file)) }] } });
  }
  if (file === FLAKE) {
    const text = snap.parsed(FLAKE)?.text;
    if (text) {
      const lines = new LineIndex(text);
      for (const h of flakeHostLenses(snap)) {
        const at = lines.position(h.span.start);
        lenses.push({
          range: { start: at, end: at },
          command: { title: h.title, command: Commands.dryRunHosts, arguments: [{ hosts: hostRefs(snap, [h.host]), file } satisfies DryRunArgs] },
        });
      }
    }
  }
  lenses.push(...(ctx.extraLenses?.(snap, file) ?? []));
  return lenses;
}

export function onHover(ctx: HandlerContext, params: HoverParams): Hover | null {
  const snap = ctx.snapshot();
  const file = ctx.paths()?.relative(params.textDocument.uri);
  if (!snap || !file || params.position.line !== 0) return null;
  const lens = affectsLens(snap, file);
  const body = file === FLAKE ? 'flake.nix defines every host.' : renderReach(explainReach(snap, file));
  return { contents: { kind: 'markdown', value: `**Hostlens** · ${lens.title}\n\n${body}` } };
}
