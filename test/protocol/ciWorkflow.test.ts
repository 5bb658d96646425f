// `hostlens/ciWorkflow` over stdio: the palette command gets the same workflow text as `hostlens ci`, from the server.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { cli } from '../support/cli';
import { LspSession } from '../support/lspSession';

let root: string;
let s: LspSession;

before(async () => {
  s = await LspSession.onCopy('fleet', 'ciproto');
  root = s.root;
});
after(() => s.disposeCopy());

type Result = { path: string; text: string } | null;

test('the server answers with the file `hostlens ci` prints and where it belongs, for either forge', async () => {
  for (const forge of ['gitea', 'github'] as const) {
    const r = await s.rpc.sendRequest('hostlens/ciWorkflow', { forge }) as Result;
    assert.ok(r);
    assert.equal(r.path, `.${forge}/workflows/hostlens.yml`);
    const printed = cli(['ci', forge, root]);
    assert.equal(printed.code, 0, printed.stderr);
    assert.equal(r.text, `${printed.stdout}`);
  }
});

test('the editor\'s formatter choice is honoured; an unknown forge gets null, not an error', async () => {
  const r = await s.rpc.sendRequest('hostlens/ciWorkflow', { forge: 'github', formatter: 'nixfmt' }) as Result;
  assert.match(r!.text, /nixpkgs#nixfmt -- --check/);
  assert.equal(await s.rpc.sendRequest('hostlens/ciWorkflow', { forge: 'gitlab' }), null);
});
