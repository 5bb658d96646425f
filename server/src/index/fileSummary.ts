// What one file says about other files, read from its syntax alone: path references, whether its references need
// evaluating (interpolation, conditions, directory listings), and which flake outputs it reads.
import { dirname, join, normalize } from '../base/paths';
import type { Span } from '../base/text';
import type { Expr } from '../syntax/ast';
import { forEachChild as forEachChildExpr, literalText } from '../syntax/walk';

export type RefKind = 'import' | 'reference';

export interface StaticRef {
  /** Workspace-relative target, or null when the literal points outside the workspace. */
  target: string | null;
  literal: string;
  span: Span;
  kind: RefKind;
  /** Under `if`, `optional(s)`, `mkIf`, `&&`/`||`: the file may be used only on some hosts. */
  conditional: boolean;
}

export interface OutputRead { name: string; span: Span }

export interface FileSummary {
  refs: StaticRef[];
  /** Some references can only be known by evaluating the file with a host's arguments. */
  needsEval: boolean;
  /** Flake outputs read through `outputs.X`, `self.X` or `inputs.self.X`. */
  outputReads: OutputRead[];
}

const CONDITIONAL_FNS = new Set(['optional', 'optionals', 'optionalAttrs', 'optionalString', 'mkIf']);
const DYNAMIC_FNS = new Set(['readDir', 'listFilesRecursive', 'pathExists', 'load', 'importApply']);
const SELF_NAMES = new Set(['outputs', 'self']);

function calleeName(e: Expr): string | null {
  let f = e;
  while (f.kind === 'apply') f = f.fn;
  if (f.kind === 'var') return f.name;
  if (f.kind === 'select') { const last = f.path[f.path.length - 1]; return last?.kind === 'name' ? last.name : null; }
  return null;
}

interface Ctx { conditional: boolean; kind: RefKind }

export function summarize(file: string, ast: Expr): FileSummary {
  const dir = dirname(file);
  const refs: StaticRef[] = [];
  const outputReads: OutputRead[] = [];
  let needsEval = false;

  const visit = (e: Expr, ctx: Ctx): void => {
    switch (e.kind) {
      case 'path': {
        const text = literalText(e);
        if (text === null) { needsEval = true; break; }
        if (e.home || text.startsWith('/')) break;
        if (ctx.conditional) needsEval = true;
        refs.push({ target: normalize(join(dir, text)), literal: text, span: e.span, kind: ctx.kind, conditional: ctx.conditional });
        return;
      }
      case 'if':
        visit(e.cond, ctx);
        visit(e.then, { ...ctx, conditional: true });
        visit(e.else, { ...ctx, conditional: true });
        return;
      case 'binary':
        if (e.op === '&&' || e.op === '||') {
          visit(e.left, ctx);
          visit(e.right, { ...ctx, conditional: true });
          return;
        }
        if (e.op === '+' && e.left.kind === 'path') needsEval = true;
        break;
      case 'apply': {
        const name = calleeName(e);
        if (name && DYNAMIC_FNS.has(name)) needsEval = true;
        if (name === 'import' || name === 'callPackage' || name === 'callPackages') {
          visit(e.fn, ctx);
          visit(e.arg, { ...ctx, kind: 'import' });
          return;
        }
        if (name && CONDITIONAL_FNS.has(name) && e.fn.kind === 'apply') {
          visit(e.fn, ctx);
          visit(e.arg, { ...ctx, conditional: true });
          return;
        }
        break;
      }
      case 'select': {
        const base = e.expr;
        const [first, second] = e.path;
        if (base.kind === 'var' && SELF_NAMES.has(base.name) && first?.kind === 'name') outputReads.push({ name: first.name, span: e.span });
        if (base.kind === 'var' && base.name === 'inputs' && first?.kind === 'name' && first.name === 'self' && second?.kind === 'name') {
          outputReads.push({ name: second.name, span: e.span });
        }
        break;
      }
      case 'attrs': case 'let':
        for (const b of e.bindings) {
          const last = b.path[b.path.length - 1];
          const isImports = last?.kind === 'name' && last.name === 'imports';
          if (isImports && !staticImportList(b.value)) needsEval = true;
          for (const k of b.path) if (k.kind === 'dynamic') visit(k.expr, ctx);
          visit(b.value, isImports ? { ...ctx, kind: 'import' } : ctx);
        }
        for (const i of e.inherits) if (i.from) visit(i.from, ctx);
        if (e.kind === 'let') visit(e.body, ctx);
        return;
      default:
        break;
    }
    forEachChildExpr(e, (c) => visit(c, ctx));
  };
  visit(ast, { conditional: false, kind: 'reference' });
  return { refs, needsEval, outputReads };
}

/** `[ ./a.nix ../b inputs.x.nixosModules.y { … } ]`: nothing in it needs evaluating to know the files. */
function staticImportList(e: Expr): boolean {
  if (e.kind !== 'list') return false;
  return e.items.every((i) => i.kind === 'path' || i.kind === 'select' || i.kind === 'attrs' || i.kind === 'lambda');
}

