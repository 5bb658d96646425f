// Composition shared by the CLI and the language server: scan a folder from disk into a fresh workspace index.
import * as path from 'node:path';
import { WorkspaceIndex, type IndexOptions } from '../index/workspaceIndex';
import { NixParser } from '../syntax/parser';
import { scanWorkspace, type ScanOptions, type ScanResult } from '../vfs/discovery';

export const DEFAULT_SCAN: ScanOptions = { maxFiles: 10_000, maxFileSize: 2 * 1024 * 1024 };

/** dist/ at run time: the bundles and both wasm files sit side by side. */
export function wasmDir(): string {
  return process.env.HOSTLENS_WASM_DIR ?? __dirname;
}

export async function openWorkspace(
  root: string, scan: ScanOptions = DEFAULT_SCAN, indexOptions: Partial<IndexOptions> = {},
): Promise<{ index: WorkspaceIndex; scanned: ScanResult }> {
  const parser = await NixParser.load(wasmDir());
  const scanned = await scanWorkspace(path.resolve(root), scan);
  const index = new WorkspaceIndex(parser, { maxFileSize: scan.maxFileSize, ...indexOptions });
  index.load(scanned.files);
  return { index, scanned };
}
