// Test helpers: a parser from dist/, an index built from an in-memory file map, and fixture folders from disk.
import * as path from 'node:path';
import { openWorkspace } from '../../server/src/app/openWorkspace';
import { WorkspaceIndex } from '../../server/src/index/workspaceIndex';
import { NixParser } from '../../server/src/syntax/parser';

export const REPO = process.cwd();
export const FIXTURES = path.join(REPO, 'test/fixtures');

export function wasm(): string { return process.env.HOSTLENS_WASM_DIR ?? path.join(REPO, 'dist'); }

export async function parser(): Promise<NixParser> { return NixParser.load(wasm()); }

/** An index over `files` (path -> text; null for a data file such as an `.age` secret). */
export async function indexOf(files: Record<string, string | null>): Promise<WorkspaceIndex> {
  const index = new WorkspaceIndex(await parser());
  index.load(Object.entries(files));
  return index;
}

export async function fixtureIndex(rel: string): Promise<WorkspaceIndex> {
  process.env.HOSTLENS_WASM_DIR ??= wasm();
  return (await openWorkspace(path.join(FIXTURES, rel))).index;
}

/** flake.nix of a two-host fleet (alpha, beta), each built from `hosts/<name>.nix` with `hostname` in specialArgs. */
export const TWO_HOST_FLAKE = `{
  inputs.nixpkgs.url = "github:nixos/nixpkgs/nixos-unstable";
  outputs = {self, nixpkgs, ...} @ inputs: {
    nixosConfigurations.alpha = nixpkgs.lib.nixosSystem {
      specialArgs = {inherit inputs; hostname = "alpha";};
      modules = [./hosts/alpha.nix];
    };
    nixosConfigurations.beta = nixpkgs.lib.nixosSystem {
      specialArgs = {inherit inputs; hostname = "beta";};
      modules = [./hosts/beta.nix];
    };
  };
}
`;
