// Scope findings by deadnix's and Nix's rules on small programs: what is undefined, what is dead (self-use and uses in
// dead code do not count; rec attributes, `_` names never), with Nix itself as the judge of "undefined" when installed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import type { Finding } from '../../server/src/base/finding';
import { scopeFindings } from '../../server/src/features/scopeDiagnostics';
import { FACT_INTEREST } from '../../server/src/index/fileSummary';
import { parseText } from '../../server/src/syntax/parsedFile';
import { applyEdits } from '../support/diagnostics';
import { parser } from '../support/workspace';

const HAS_NIX = spawnSync('nix-instantiate', ['--version']).status === 0;

async function findings(text: string): Promise<Finding[]> {
  return scopeFindings('t.nix', parseText(await parser(), text, FACT_INTEREST));
}

const CASES: [string, string[]][] = [
  ['let a = 1; in b', ["undefined variable 'b'", 'Unused let binding: a']],
  ['with pkgs; [ foo ]', ["undefined variable 'pkgs'"]],
  ['{ a, b ? a, ... } @ args: b', ['Unused lambda pattern: args']],
  ['let f = x: f x; in 1', ['Unused let binding: f']],
  ['let a = b; b = 1; in 1', ['Unused let binding: a', 'Unused let binding: b']],
  ['rec { a = 1; b = a; c = d; }', ["undefined variable 'd'"]],
  ['_: let _x = 1; in 2', []],
  ['{ inherit foo; }', ["undefined variable 'foo'"]],
  ['let inherit (builtins) map; in 1', ['Unused let binding: map']],
  ['x: y: x', ['Unused lambda argument: y']],
  ['[ (__add 1 2) builtins true null (fetchMercurial {}) (import ./x.nix) __curPos ]', []],
  ['let a.b = 1; a.c = 2; in a', []],
  ['let x = 1; in with { x = 2; }; x', []],
  ['let src = {}; inherit (src) a b; in b', ['Unused let binding: a']],
  ['{ a, b }: a', ['Unused lambda pattern: b']],
  ['{ a = 1; b = ; }', []],
];

test('undefined and unused names, by Nix\'s and deadnix\'s rules', async () => {
  for (const [text, expected] of CASES) {
    assert.deepEqual((await findings(text)).map((f) => f.message).sort(), [...expected].sort(), text);
  }
});

test('Nix agrees on which programs have an undefined variable', { skip: !HAS_NIX && 'nix-instantiate not installed' }, async () => {
  for (const [text] of CASES) {
    const nix = spawnSync('nix-instantiate', ['--store', 'dummy://', '--parse', '-'], { input: text, encoding: 'utf8' });
    const nixUndefined = /undefined variable '([^']+)'/.exec(nix.stderr)?.[1] ?? null;
    if (nix.status !== 0 && !nixUndefined) continue; // a syntax error: no scope verdict to compare
    const ours = (await findings(text)).filter((f) => f.code === 'undefined-variable').map((f) => /'([^']+)'/.exec(f.message)![1]);
    assert.equal(ours.length > 0, nixUndefined !== null, text);
    if (nixUndefined) assert.ok(ours.includes(nixUndefined), `${text}: nix says ${nixUndefined}, we say ${ours.join(', ')}`);
  }
});

test('a name bound twice in one let (`a.b`, `a.c`) is one binding: both go together', async () => {
  const text = 'let\n  a.b = 1;\n  a.c = 2;\nin 1\n';
  const dead = (await findings(text)).filter((f) => f.message === 'Unused let binding: a');
  assert.equal(dead.length, 2);
  const fix = dead[0]!.fixes!.find((f) => f.title === 'Remove unused binding `a`')!;
  assert.equal(applyEdits(text, fix.edits), 'let\nin 1\n');
});

test('fixes keep inline code tidy and never rename into a name already in use', async () => {
  const inline = 'let a = 1; b = 2; in b';
  const fa = (await findings(inline)).find((f) => f.message === 'Unused let binding: a')!;
  assert.equal(applyEdits(inline, fa.fixes!.find((f) => f.title.startsWith('Remove'))!.edits), 'let b = 2; in b');
  assert.equal(applyEdits(inline, fa.fixes!.find((f) => f.title.startsWith('Prefix'))!.edits), 'let _a = 1; b = 2; in b');
  const taken = '_x: x: 1';
  const fx = (await findings(taken)).find((f) => f.message === 'Unused lambda argument: x')!;
  assert.equal(fx.fixes, undefined, 'renaming x to _x would shadow the outer _x');
  const inh = 'let inherit (builtins) map filter; in filter';
  const fm = (await findings(inh)).find((f) => f.message === 'Unused let binding: map')!;
  assert.equal(applyEdits(inh, fm.fixes![0]!.edits), 'let inherit (builtins) filter; in filter');
  const at = 'args @ { a, ... }: a';
  const fat = (await findings(at)).find((f) => f.message === 'Unused lambda pattern: args')!;
  assert.equal(applyEdits(at, fat.fixes![0]!.edits), '{ a, ... }: a');
  const inlineFormals = '{ config, lib, ... }: config';
  const fl = (await findings(inlineFormals)).find((f) => f.message === 'Unused lambda pattern: lib')!;
  assert.equal(applyEdits(inlineFormals, fl.fixes![0]!.edits), '{ config, ... }: config');
});
