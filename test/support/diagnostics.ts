// Helpers for diagnostics tests: waiting for published diagnostics, ranges of text, applying quick fixes, and fake
// linters (shell scripts that print a tool's documented JSON and log how they were called).
import { chmodSync, cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { LspSession } from './lspSession';
import { FIXTURES } from './workspace';

export interface Pos { line: number; character: number }
export interface Rng { start: Pos; end: Pos }
export interface Diag { range: Rng; severity: number; source: string; code?: string; message: string; tags?: number[]; data?: unknown }
export interface TextEditLike { range: Rng; newText: string }
export interface Action { title: string; kind?: string; isPreferred?: boolean; edit?: { changes?: Record<string, TextEditLike[]> } }

export function position(text: string, offset: number): Pos {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1]!.length };
}

/** The range of the `nth` occurrence (0-based) of `needle` in `text`. */
export function rangeOf(text: string, needle: string, nth = 0): Rng {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`${JSON.stringify(needle)} occurs fewer than ${nth + 1} times`);
  }
  return { start: position(text, at), end: position(text, at + needle.length) };
}

function offset(text: string, p: Pos): number {
  const lines = text.split('\n');
  let o = 0;
  for (let i = 0; i < p.line; i++) o += lines[i]!.length + 1;
  return o + p.character;
}

/** Applies LSP text edits (non-overlapping, ranges in the original text) as an editor would. */
export function applyEdits(text: string, edits: readonly TextEditLike[]): string {
  const sorted = [...edits].sort((a, b) => offset(text, b.range.start) - offset(text, a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, offset(text, e.range.start)) + e.newText + out.slice(offset(text, e.range.end));
  return out;
}

export function diagnosticsOf(s: LspSession, rel: string): Diag[] {
  return (s.diagnostics.get(s.uri(rel)) ?? []) as Diag[];
}

/** Polls until `get` returns a value (an array counts once non-empty, unless `allowEmpty`). */
export async function waitFor<T>(get: () => T | undefined | null | false, what: string, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = get();
    if (v !== undefined && v !== null && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * A fake linter in `bin`: prints `output` (whatever file it is asked about) and appends its arguments to `calls`.
 * `exitCode` mimics the tool (statix exits 1 when it reports).
 */
export function fakeTool(bin: string, name: string, output: string, calls: string, exitCode = 0): void {
  mkdirSync(bin, { recursive: true });
  const out = path.join(bin, `${name}.out`);
  writeFileSync(out, output);
  const script = path.join(bin, name);
  writeFileSync(script, `#!/bin/sh\necho "$*" >> '${calls}'\n/bin/cat '${out}'\nexit ${exitCode}\n`);
  chmodSync(script, 0o755);
}

/** A file with a syntax error, written into copies only: every file under test/fixtures must parse. */
export const BROKEN_SYNTAX = { file: 'modules/broken.nix', text: '{pkgs, ...}: {\n  environment.systemPackages = [pkgs.hello;\n}\n' };

/** A temporary copy of test/fixtures/broken plus the file with a syntax error; the caller removes it. */
export function brokenFleet(prefix = 'hostlens-broken-'): string {
  const root = mkdtempSync(path.join(tmpdir(), prefix));
  cpSync(path.join(FIXTURES, 'broken'), root, { recursive: true });
  mkdirSync(path.join(root, 'modules'), { recursive: true });
  writeFileSync(path.join(root, BROKEN_SYNTAX.file), BROKEN_SYNTAX.text);
  return root;
}
