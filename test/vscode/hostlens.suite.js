// Tier 1: Hostlens inside a real VS Code extension host on a copy of the fixture fleet, through the vscode API:
// activation, lenses, hover, diagnostics, commands, and a live edit updating another file's lens.
const assert = require('node:assert/strict');
const vscode = require('vscode');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function eventually(fn, ms = 30_000) {
  const end = Date.now() + ms;
  for (;;) {
    try { return await fn(); } catch (e) { if (Date.now() > end) throw e; await sleep(250); }
  }
}
const root = () => vscode.workspace.workspaceFolders[0].uri;
const uri = (rel) => vscode.Uri.joinPath(root(), rel);
async function lensTitles(rel) {
  await vscode.workspace.openTextDocument(uri(rel));
  const lenses = await vscode.commands.executeCommand('vscode.executeCodeLensProvider', uri(rel));
  return lenses.map((l) => (l.command ? l.command.title : ''));
}
const firstLens = (rel, expected) => eventually(async () => assert.equal((await lensTitles(rel))[0], expected));

describe('Hostlens in the extension host', () => {
  before(async () => {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri('hosts/common/users/home.nix')));
    const ext = vscode.extensions.getExtension('hostlens.hostlens');
    assert.ok(ext, 'extension installed');
    await eventually(async () => assert.equal(ext.isActive, true));
  });

  it('shows "affects:" lenses for a shared, a host-only and an orphan file', async () => {
    await firstLens('hosts/common/users/home.nix', 'affects: all 7 hosts');
    await firstLens('hosts/m3-atlas/services/traefik.nix', 'affects: m3-atlas');
    await firstLens('hosts/m3-atlas/services/old-unused.nix', 'affects: no host');
  });

  it('hovers line 1 with the import chain per host', async () => {
    const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', uri('hosts/m3-atlas/services/traefik.nix'), new vscode.Position(0, 0));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /flake\.nix -> hosts\/m3-atlas\/default\.nix -> hosts\/m3-atlas\/services\/default\.nix -> hosts\/m3-atlas\/services\/traefik\.nix/);
  });

  it('puts a missing import in the Problems panel', async () => {
    const doc = await vscode.workspace.openTextDocument(uri('hosts/m3-helios/default.nix'));
    const editor = await vscode.window.showTextDocument(doc);
    const at = doc.getText().indexOf('imports = [') + 'imports = ['.length;
    await editor.edit((e) => e.insert(doc.positionAt(at), '\n    ./missing-module.nix'));
    const diag = await eventually(async () => {
      const d = vscode.languages.getDiagnostics(doc.uri).find((x) => /missing-module\.nix does not exist/.test(x.message));
      assert.ok(d, 'diagnostic present');
      return d;
    });
    assert.equal(diag.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(doc.getText(diag.range), './missing-module.nix');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('registers every command it contributes', async () => {
    const ext = vscode.extensions.getExtension('hostlens.hostlens');
    const contributed = ext.packageJSON.contributes.commands.map((c) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(contributed.filter((c) => !registered.has(c)), []);
  });

  it('updates another file\'s lens when a host file gains an import', async () => {
    await firstLens('hosts/m3-atlas/services/old-unused.nix', 'affects: no host');
    const doc = await vscode.workspace.openTextDocument(uri('hosts/m3-atlas/services/default.nix'));
    const editor = await vscode.window.showTextDocument(doc);
    const at = doc.getText().indexOf('imports = [') + 'imports = ['.length;
    await editor.edit((e) => e.insert(doc.positionAt(at), '\n    ./old-unused.nix'));
    await firstLens('hosts/m3-atlas/services/old-unused.nix', 'affects: m3-atlas');
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await firstLens('hosts/m3-atlas/services/old-unused.nix', 'affects: no host');
  });
});

describe('Hostlens views', () => {
  it('lists the seven hosts in the Hosts view, each with its kind', async () => {
    const api = vscode.extensions.getExtension('hostlens.hostlens').exports;
    const rows = await eventually(async () => {
      const r = await api.hostsViewRows();
      assert.equal(r.length, 7);
      return r;
    });
    assert.deepEqual(rows.map((r) => r.label), ['m3-aether', 'm3-ares', 'm3-atlas', 'm3-helios', 'm3-hermes', 'm3-kratos', 'm3tam3re@m3-daedalus']);
    assert.match(rows.find((r) => r.label === 'm3tam3re@m3-daedalus').description, /^home-manager/);
    assert.match(rows.find((r) => r.label === 'm3-atlas').description, /^nixos/);
  });
});
