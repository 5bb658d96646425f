// What one file says about other files, from its syntax alone: path references (import or plain, conditional or
// not), whether its references need evaluating (interpolation, conditions, directory listings), and which flake
// outputs it reads.
import { dirname, join, normalize } from '../base/paths';
import { contains, type Span } from '../base/text';
import type { FactInterest, SyntaxFacts } from '../syntax/facts';

export type RefKind = 'import' | 'reference';

export interface StaticRef {
  /** Workspace-relative target, or null when the literal points outside the workspace. */
  target: string | null;
  literal: string;
  span: Span;
  kind: RefKind;
  /** Under `if`, `optional(s)`, `mkIf`, `&&`/`||`: the file may be used only on some hosts. */
  conditional: boolean;
  /** The argument of `import`: Nix code uses the file's value (and may call it), the module system does not. */
  viaImport?: boolean;
}

/** `inImports`: the read sits in a module's `imports`, where the value it yields is a module of this host. */
export interface OutputRead { name: string; span: Span; inImports: boolean }

export interface FileSummary {
  refs: readonly StaticRef[];
  /** Some references can only be known by evaluating the file with a host's arguments. */
  needsEval: boolean;
  /** Flake outputs read through `outputs.X`, `self.X` or `inputs.self.X`. */
  outputReads: readonly OutputRead[];
}

const CONDITIONAL_FNS = new Set(['optional', 'optionals', 'optionalAttrs', 'optionalString', 'mkIf']);
const DYNAMIC_FNS = new Set(['readDir', 'listFilesRecursive', 'pathExists', 'load', 'importApply']);
const IMPORT_FNS = new Set(['import', 'callPackage', 'callPackages']);
const STATIC_IMPORT_ITEMS = new Set(['path', 'select', 'attrs', 'lambda']);

export const FACT_INTEREST: FactInterest = {
  callees: new Set([...CONDITIONAL_FNS, ...DYNAMIC_FNS, ...IMPORT_FNS]),
  // Conditions and imports only say something about the path literals they hold.
  pathQualifiers: new Set([...CONDITIONAL_FNS, ...IMPORT_FNS]),
  bindings: new Set(['imports']),
  selectBases: new Set(['self', 'outputs', 'inputs']),
};

const within = (spans: readonly Span[], s: Span) => spans.some((o) => contains(o, s));

const NO_REFS: readonly StaticRef[] = [];
const NO_READS: readonly OutputRead[] = [];

export function summarize(file: string, facts: SyntaxFacts): FileSummary {
  let needsEval = facts.pathConcatenation
    || facts.paths.some((p) => p.interpolated)
    || facts.calls.some((c) => DYNAMIC_FNS.has(c.callee))
    || facts.bindings.some((b) => b.name === 'imports' && !(b.shape === 'list' && b.items.every((i) => STATIC_IMPORT_ITEMS.has(i))));
  // Most files of a fleet reference no other file and read no flake output: they share empty lists.
  if (facts.paths.length === 0 && facts.selects.length === 0) return { refs: NO_REFS, needsEval, outputReads: NO_READS };
  const dir = dirname(file);
  const conditional = [
    ...facts.conditionalSpans,
    ...facts.calls.filter((c) => CONDITIONAL_FNS.has(c.callee) && c.argument === 2).map((c) => c.argSpan),
  ];
  const imported = facts.calls.filter((c) => c.callee === 'import' && c.argument === 1).map((c) => c.argSpan);
  const importing = [
    ...facts.calls.filter((c) => IMPORT_FNS.has(c.callee) && c.argument === 1).map((c) => c.argSpan),
    ...facts.bindings.filter((b) => b.name === 'imports').map((b) => b.valueSpan),
  ];
  const refs: StaticRef[] = [];
  for (const p of facts.paths) {
    if (p.interpolated || p.home || p.text.startsWith('/')) continue;
    const isConditional = within(conditional, p.span);
    if (isConditional) needsEval = true;
    refs.push({
      target: normalize(join(dir, p.text.startsWith('./') ? p.text.slice(2) : p.text)), literal: p.text, span: p.span,
      kind: within(importing, p.span) ? 'import' : 'reference', conditional: isConditional,
      ...(within(imported, p.span) ? { viaImport: true } : {}),
    });
  }
  const outputReads: OutputRead[] = [];
  const importLists = facts.bindings.filter((b) => b.name === 'imports').map((b) => b.valueSpan);
  for (const s of facts.selects) {
    const [first, second] = s.attrs;
    const name = (s.base === 'self' || s.base === 'outputs') ? first : s.base === 'inputs' && first === 'self' ? second : null;
    if (!name) continue;
    const inImports = within(importLists, s.span);
    // Which of the flake's modules it picks (`self.nixosModules.foo`) is known only by evaluating the select.
    if (inImports) needsEval = true;
    outputReads.push({ name, span: s.span, inImports });
  }
  return { refs, needsEval, outputReads };
}
