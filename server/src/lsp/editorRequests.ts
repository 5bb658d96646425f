// Requests behind the editor's commands that need the server's index or a tool: hosts affected by uncommitted
// changes, and formatting a buffer. Both run a program; the client sends them only in a trusted workspace.
import { errorMessage } from '../base/log';
import { affectedBy } from '../features/affectedFiles';
import type { IndexSnapshot } from '../index/workspaceIndex';
import type { FormatParams, FormatResult, GitAffectedParams, GitAffectedResult, HostRef } from '../shared/protocol';
import { formatWith } from '../tools/formatter';
import { changedSince } from '../tools/git';
import type { Paths } from './convert';

export interface EditorRequestContext { snapshot(): IndexSnapshot | null; paths(): Paths | null }

export async function gitAffected(ctx: EditorRequestContext, p: GitAffectedParams): Promise<GitAffectedResult> {
  const snap = ctx.snapshot();
  const paths = ctx.paths();
  if (!snap || !paths) return { error: 'the workspace is not indexed yet' };
  const rev = typeof p?.rev === 'string' && p.rev !== '' ? p.rev : 'HEAD';
  try {
    const changes = await changedSince(paths.root, rev);
    const report = affectedBy(snap, changes.changed, changes.deleted);
    const kinds = new Map(snap.flake.hosts.map((h) => [h.name, h.kind]));
    const hosts: HostRef[] = report.hosts.map((name) => ({ name, kind: kinds.get(name) ?? 'nixos' }));
    return { hosts, files: Object.keys(report.files).sort() };
  } catch (err) {
    return { error: errorMessage(err) };
  }
}

/** alejandra reads `alejandra.toml` from its working directory: the workspace root. */
export async function formatBuffer(ctx: EditorRequestContext, p: FormatParams): Promise<FormatResult> {
  const paths = ctx.paths();
  const file = paths?.relative(p.uri) ?? '';
  const tool = p.formatter === 'nixfmt' ? 'nixfmt' : 'alejandra';
  const command = typeof p.command === 'string' && p.command.trim() !== '' ? p.command.trim() : tool;
  if (typeof p.text !== 'string') return { status: 'failed', detail: 'no text to format' };
  return formatWith(tool, file, p.text, { command, ...(paths ? { cwd: paths.root } : {}) });
}
