// statix, deadnix, the formatters, `nix flake show|check` and `switch`, run in the terminal on the workspace, a
// folder or a file. Commands that change files or the system ask first, naming the command line and the target.
import * as os from 'node:os';
import * as vscode from 'vscode';
import { switchChoice } from '../../server/src/shared/commandLines';
import { hostTemplates, toolStep, type ToolCommand } from '../../server/src/shared/toolCommands';
import { COMMANDS, type CommandSpec } from './commandCatalog';
import { confirmFileChange, confirmSwitch, type Confirmation } from './confirmations';
import type { NixFormatter } from './formatting';
import type { Runtime } from './runtime';
import { mayRun } from './trust';

async function confirmed(c: Confirmation): Promise<boolean> {
  const answer = await vscode.window.showWarningMessage(c.message, { modal: true, detail: c.detail }, c.action);
  return answer === c.action;
}

/** The workspace-relative target: the clicked file or folder, else the whole workspace. */
function targetOf(rt: Runtime, uri: unknown): string {
  return uri instanceof vscode.Uri ? rt.relative(uri) ?? '.' : '.';
}

async function runTool(rt: Runtime, spec: CommandSpec, command: ToolCommand, uri: unknown, label: string): Promise<void> {
  if (!mayRun(spec)) return;
  const settings = rt.settings();
  if (command === 'formatWorkspace' && settings.formatter === 'none') {
    void vscode.window.showInformationMessage('Hostlens: formatting is off (setting hostlens.formatter is "none").');
    return;
  }
  const target = targetOf(rt, uri);
  const step = toolStep(command, { flake: '.', target, formatter: settings.formatter === 'nixfmt' ? 'nixfmt' : 'alejandra', templates: settings.run.templates });
  if (spec.changes === 'files' && (command === 'statixFix' || command === 'deadnixEdit' || command === 'formatWorkspace')) {
    if (!await confirmed(confirmFileChange(command, target, step.argv, rt.root() ?? '.'))) return;
    await vscode.workspace.saveAll(false);
  }
  const title = target === '.' ? label : `${label} ${target}`;
  await rt.run(spec, title, [{ kind: 'command', label: title, ...step }], step.problemMatcher ? { problemMatchers: [step.problemMatcher] } : {});
}

export function registerToolCommands(rt: Runtime, formatter: NixFormatter): vscode.Disposable[] {
  const tool = (spec: CommandSpec, command: ToolCommand, label: string) =>
    vscode.commands.registerCommand(spec.id, (uri?: unknown) => runTool(rt, spec, command, uri, label));
  return [
    tool(COMMANDS.statixCheck, 'statixCheck', 'statix check'),
    tool(COMMANDS.statixFix, 'statixFix', 'statix fix'),
    tool(COMMANDS.deadnix, 'deadnix', 'deadnix'),
    tool(COMMANDS.deadnixEdit, 'deadnixEdit', 'deadnix --edit'),
    tool(COMMANDS.formatWorkspace, 'formatWorkspace', 'format'),
    tool(COMMANDS.flakeShow, 'flakeShow', 'nix flake show'),
    tool(COMMANDS.flakeCheck, 'flakeCheck', 'nix flake check'),

    vscode.commands.registerCommand(COMMANDS.formatFile.id, async (uri?: unknown) => {
      if (!mayRun(COMMANDS.formatFile)) return;
      const doc = uri instanceof vscode.Uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
      if (!doc || doc.languageId !== 'nix') {
        void vscode.window.showInformationMessage('Hostlens: open a Nix file to format it.');
        return;
      }
      // Edits go to the buffer (undoable); the file on disk changes only when the user saves.
      const edits = await formatter.format(doc, true);
      if (!edits) return;
      if (edits.length === 0) {
        vscode.window.setStatusBarMessage('Hostlens: already formatted', 5000);
        return;
      }
      const edit = new vscode.WorkspaceEdit();
      edit.set(doc.uri, edits);
      await vscode.workspace.applyEdit(edit);
      await vscode.window.showTextDocument(doc);
    }),

    vscode.commands.registerCommand(COMMANDS.switchHost.id, async (arg?: unknown) => {
      if (!mayRun(COMMANDS.switchHost)) return;
      const host = await rt.pickHost(arg, 'Host configuration to switch this machine to');
      if (!host) return;
      const s = rt.settings().run;
      // The question shows the tool the settings choose; the terminal says so if it has to use another one.
      const shown = switchChoice(host, { flake: '.', tool: s.tool, sudo: s.switchSudo, available: () => true, templates: hostTemplates(s.templates, 'switch') });
      if (!await confirmed(confirmSwitch(host, shown.argv, os.hostname().split('.')[0] ?? ''))) return;
      await rt.run(COMMANDS.switchHost, `switch ${host.name}`, [{ kind: 'switch', host }]);
    }),
  ];
}
