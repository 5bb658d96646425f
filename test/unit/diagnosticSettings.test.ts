// The diagnostics settings as the client reads them: every key it reads is declared in package.json with the default
// the server assumes, and whatever arrives in initializationOptions is normalised, not trusted.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  DEFAULT_DIAGNOSTIC_SETTINGS, describeDiagnosticsStatus, normalizeDiagnosticSettings, readDiagnosticSettings,
} from '../../server/src/shared/diagnosticsProtocol';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { contributes: { configuration: { properties: Record<string, { default: unknown }> } } };
const props = pkg.contributes.configuration.properties;

test('every key the client reads is declared, and package.json defaults give the server defaults', () => {
  const read: string[] = [];
  const settings = readDiagnosticSettings(<T>(key: string, fallback: T): T => {
    read.push(key);
    const declared = props[`hostlens.${key}`];
    assert.ok(declared, `hostlens.${key} is declared in package.json`);
    return (declared.default ?? fallback) as T;
  });
  assert.deepEqual(settings, DEFAULT_DIAGNOSTIC_SETTINGS);
  assert.deepEqual(read.sort(), ['deadnix.enable', 'diagnostics.openFilesOnly', 'diagnostics.scope', 'paths.deadnix', 'paths.statix', 'statix.enable']);
});

test('a configured executable is used; an empty one means the name on PATH', () => {
  const values: Record<string, unknown> = { 'paths.statix': ' /opt/bin/statix ', 'paths.deadnix': '', 'statix.enable': false };
  const s = readDiagnosticSettings(<T>(key: string, fallback: T): T => (key in values ? values[key] as T : fallback));
  assert.deepEqual(s.statix, { enable: false, path: '/opt/bin/statix' });
  assert.deepEqual(s.deadnix, { enable: true, path: 'deadnix' });
});

test('initializationOptions of the wrong shape fall back to the defaults field by field', () => {
  const raw = { scope: 'yes', openFilesOnly: true, statix: { enable: 1, path: '' }, deadnix: null } as unknown as Parameters<typeof normalizeDiagnosticSettings>[0];
  assert.deepEqual(normalizeDiagnosticSettings(raw), { ...DEFAULT_DIAGNOSTIC_SETTINGS, openFilesOnly: true });
});

test('the status item says when syntax is approximate, and why', () => {
  const approx = describeDiagnosticsStatus({ syntax: 'approximate', reason: 'nix-instantiate was not found', statix: 'missing', deadnix: 'running' });
  assert.deepEqual(approx, { text: 'Nix syntax: approximate', detail: 'tree-sitter stands in: nix-instantiate was not found. statix: missing, deadnix: on', warning: true });
  assert.equal(describeDiagnosticsStatus({ syntax: 'nix', reason: null, statix: 'untrusted', deadnix: 'disabled' }).warning, false);
});
