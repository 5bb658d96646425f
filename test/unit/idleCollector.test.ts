// The server gives throwaway parse memory back after bulk passes: the collector it uses must really collect, also in
// a process started without --expose-gc (as every editor starts the server).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { collectNow } from '../../server/src/lsp/idleCollector';

test('collectNow frees garbage that is no longer referenced', () => {
  assert.equal(typeof (globalThis as { gc?: unknown }).gc, 'undefined', 'the test runs without --expose-gc, like the server');
  let garbage: number[][] | null = Array.from({ length: 200 }, () => Array.from({ length: 25_000 }, (_, i) => i + 0.5));
  const held = process.memoryUsage().heapUsed;
  garbage = null;
  collectNow();
  const after = process.memoryUsage().heapUsed;
  assert.equal(garbage, null);
  assert.ok(held - after > 20 * 1024 * 1024, `heap went from ${(held / 1048576).toFixed(0)} MB to ${(after / 1048576).toFixed(0)} MB`);
});
