// The language server's own memory on the generated fleet (rows of `npm run bench`): the peak resident set of
// `dist/server.js` through indexing and workspace-wide diagnostics, then through a typing run in the 2,000-line file
// with requests, read from /proc (VmHWM). The bench process's own RSS holds two indexes and a harness.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { LspSession } from '../support/lspSession';

type Row = (what: string, value: string, target?: string) => void;

const statusField = (pid: number, field: string): number | null => {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
};

export async function serverMemoryBench(dir: string, bigFile: string, row: Row): Promise<void> {
  const session = await LspSession.start(dir);
  const pid = session.child.pid!;
  try {
    await session.ready(60_000);
    // Workspace diagnostics are published file by file after the index: wait until they stop coming.
    let seen = -1;
    for (let waited = 0; waited < 60_000 && session.diagnostics.size !== seen; waited += 1000) {
      seen = session.diagnostics.size;
      await new Promise((r) => setTimeout(r, 1000));
    }
    const indexed = statusField(pid, 'VmHWM');
    row('language server on the generated fleet: peak RSS through indexing and workspace diagnostics', indexed === null ? 'n/a (no /proc)' : `${indexed.toFixed(0)} MB (${session.diagnostics.size} files with findings)`, '< 200 MB');
    const text = readFileSync(path.join(dir, bigFile), 'utf8');
    const uri = session.uri(bigFile);
    session.open(bigFile, text);
    const lines = text.slice(0, text.indexOf('"item-1000"') + 2).split('\n');
    for (let i = 0; i < 100; i++) {
      const position = { line: lines.length - 1, character: lines[lines.length - 1]!.length + i };
      session.rpc.sendNotification('textDocument/didChange', {
        textDocument: { uri, version: i + 2 }, contentChanges: [{ range: { start: position, end: position }, text: 'x' }],
      });
      if (i % 10 === 9) {
        await session.rpc.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 10, character: 20 } });
        await session.lensTitles(bigFile);
      }
    }
    const peak = statusField(pid, 'VmHWM');
    // The server collects garbage once it has been idle for a second.
    await new Promise((r) => setTimeout(r, 2_000));
    const idle = statusField(pid, 'VmRSS');
    row('  then 100 keystrokes back to back in the 2,000-line flat set, with hovers and lenses: peak / idle again', peak === null ? 'n/a' : `${peak.toFixed(0)} MB / ${idle?.toFixed(0)} MB`);
  } finally {
    await session.stop().catch(() => session.child.kill());
  }
}
