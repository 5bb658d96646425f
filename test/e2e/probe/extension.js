// Probe extension for the e2e harness (test/e2e). Plain JS, no build step.
// - CodeLens "probe lens" on line 1 of every *.txt file; clicking it runs probe.lensClicked.
// - A warning diagnostic "probe diagnostic: <file>" on line 1 of every *.txt file.
// - Command "Probe: Run Echo Task" runs a ShellExecution task that prints PROBE_TASK_OUTPUT_42.
// - Hover "probe hover for `<word>`" on every word of *.txt files.
// - Command "Probe: Lens Clicked" shows an info notification and sets a status bar item.
const vscode = require('vscode');

function activate(context) {
  const status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 1000);
  status.text = `probe: active (${vscode.workspace.isTrusted ? 'trusted' : 'untrusted'})`;
  status.show();
  context.subscriptions.push(status);

  const selector = [{ scheme: 'file', pattern: '**/*.txt' }];
  context.subscriptions.push(vscode.languages.registerCodeLensProvider(selector, {
    provideCodeLenses(doc) {
      return [new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), {
        title: 'probe lens',
        command: 'probe.lensClicked',
        arguments: [doc.uri.toString()],
      })];
    },
  }));

  context.subscriptions.push(vscode.languages.registerHoverProvider(selector, {
    provideHover(doc, pos) {
      const range = doc.getWordRangeAtPosition(pos);
      if (!range) return undefined;
      return new vscode.Hover(new vscode.MarkdownString(`**probe hover** for \`${doc.getText(range)}\``), range);
    },
  }));

  let clicks = 0;
  context.subscriptions.push(vscode.commands.registerCommand('probe.lensClicked', (uri) => {
    clicks++;
    status.text = `probe: lens clicked ${clicks}`;
    vscode.window.showInformationMessage(`probe lens clicked: ${uri ? uri.split('/').pop() : '(palette)'}`);
  }));

  const diags = vscode.languages.createDiagnosticCollection('probe');
  context.subscriptions.push(diags);
  const refresh = (doc) => {
    if (doc.uri.scheme !== 'file' || !doc.fileName.endsWith('.txt')) return;
    const len = doc.lineCount > 0 ? doc.lineAt(0).text.length : 0;
    const d = new vscode.Diagnostic(new vscode.Range(0, 0, 0, Math.max(len, 1)),
      `probe diagnostic: ${doc.fileName.split('/').pop()}`, vscode.DiagnosticSeverity.Warning);
    d.source = 'probe';
    diags.set(doc.uri, [d]);
  };
  vscode.workspace.textDocuments.forEach(refresh);
  context.subscriptions.push(vscode.workspace.onDidOpenTextDocument(refresh));

  context.subscriptions.push(vscode.commands.registerCommand('probe.runTask', async () => {
    const task = new vscode.Task({ type: 'shell', id: 'probe-echo' }, vscode.TaskScope.Workspace,
      'probe echo', 'probe', new vscode.ShellExecution('echo PROBE_TASK_OUTPUT_$((6*7))'));
    task.presentationOptions = { reveal: vscode.TaskRevealKind.Always, focus: false, clear: true };
    const exec = await vscode.tasks.executeTask(task);
    return new Promise((resolve) => {
      const sub = vscode.tasks.onDidEndTaskProcess((e) => {
        if (e.execution === exec) { sub.dispose(); status.text = `probe: task exit ${e.exitCode}`; resolve(e.exitCode); }
      });
    });
  }));
}

function deactivate() {}
module.exports = { activate, deactivate };
