// Writes a synthetic fleet for benchmarks: N hosts built by a mkHost helper, a large shared module tree, per-host
// services, overlays and packages; shaped like the fixture fleet, scaled up.
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

export interface FleetShape { hosts: number; files: number }

export function generateFleet(root: string, shape: FleetShape): { files: number; bigFile: string; nestedFile: string } {
  let count = 0;
  const write = (rel: string, text: string) => {
    const abs = path.join(root, rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, text);
    count++;
  };
  const hostNames = Array.from({ length: shape.hosts }, (_, i) => `host-${String(i).padStart(3, '0')}`);
  write('flake.nix', `{
  inputs.nixpkgs.url = "github:nixos/nixpkgs/nixos-unstable";
  outputs = { self, nixpkgs, ... } @ inputs: let
    inherit (self) outputs;
    mkHost = hostname: nixpkgs.lib.nixosSystem {
      specialArgs = { inherit inputs outputs hostname; };
      modules = [ ./hosts/\${hostname} ];
    };
  in {
    overlays = import ./overlays { inherit inputs; };
    nixosConfigurations = nixpkgs.lib.genAttrs [ ${hostNames.map((h) => `"${h}"`).join(' ')} ] mkHost;
  };
}
`);
  write('overlays/default.nix', `{ inputs, ... }: { additions = final: _prev: import ../pkgs final.pkgs; }\n`);
  write('pkgs/default.nix', `pkgs: { tool = pkgs.callPackage ./tool { }; }\n`);
  write('pkgs/tool/default.nix', `{ writeShellScriptBin }: writeShellScriptBin "tool" (builtins.readFile ./tool.sh)\n`);
  write('pkgs/tool/tool.sh', 'echo tool\n');
  // Shared modules: groups of modules, each group a directory with default.nix importing its members.
  const perHost = Math.max(4, Math.floor((shape.files * 0.6) / shape.hosts));
  const sharedBudget = Math.max(10, shape.files - count - shape.hosts * (perHost + 2));
  const groups = Math.max(1, Math.floor(sharedBudget / 20));
  for (let g = 0; g < groups; g++) {
    const members = Array.from({ length: 19 }, (_, m) => `m${m}.nix`);
    write(`modules/group${g}/default.nix`, `{ lib, ... }: {\n  imports = [\n${members.map((m) => `    ./${m}`).join('\n')}\n  ];\n}\n`);
    for (const m of members) write(`modules/group${g}/${m}`, moduleText(`group${g}.${m.replace('.nix', '')}`));
  }
  write('hosts/common/default.nix', `{ outputs, ... }: {\n  nixpkgs.overlays = [ outputs.overlays.additions ];\n  imports = [\n    ./big.nix\n    ./nested.nix\n${Array.from({ length: Math.min(groups, 10) }, (_, g) => `    ../../modules/group${g}`).join('\n')}\n  ];\n}\n`);
  hostNames.forEach((h, i) => {
    const services = Array.from({ length: perHost }, (_, s) => `s${s}.nix`);
    const extra = Array.from({ length: 3 }, (_, k) => `../../modules/group${(i * 3 + k) % groups}`);
    write(`hosts/${h}/default.nix`, `{ hostname, lib, ... }: {\n  imports = [\n    ../common\n    ./services\n${extra.map((e) => `    ${e}`).join('\n')}\n  ] ++ lib.optional (hostname == "${h}") ./hardware.nix;\n  networking.hostName = hostname;\n}\n`);
    write(`hosts/${h}/hardware.nix`, moduleText(`${h}.hardware`));
    write(`hosts/${h}/services/default.nix`, `{\n  imports = [\n${services.map((s) => `    ./${s}`).join('\n')}\n  ];\n}\n`);
    for (const s of services) write(`hosts/${h}/services/${s}`, moduleText(`${h}.${s.replace('.nix', '')}`));
  });
  const bigFile = 'hosts/common/big.nix';
  const lines = ['{ config, lib, pkgs, ... }:', 'let', '  cfg = config.services.big;', 'in {', '  imports = [ ../../modules/group0 ];'];
  for (let i = 0; lines.length < 1995; i++) lines.push(`  services.big.item${i} = { enable = true; name = "item-${i}"; port = ${1000 + i}; };`);
  lines.push('}');
  write(bigFile, `${lines.join('\n')}\n`);
  // The same size in the usual shape of a NixOS module: nested service blocks rather than one flat set.
  const nestedFile = 'hosts/common/nested.nix';
  const nested = ['{ config, lib, pkgs, ... }: {'];
  for (let i = 0; nested.length < 1990; i++) {
    nested.push(`  services.svc${i} = {`, '    enable = true;', '    settings = {', `      name = "svc-${i}";`, `      port = ${2000 + i};`,
      '      extraConfig = \'\'', `        listen ${2000 + i}`, "      '';", '    };', '  };');
  }
  nested.push('}');
  write(nestedFile, `${nested.join('\n')}\n`);
  return { files: count, bigFile, nestedFile };
}

function moduleText(name: string): string {
  return `{ config, lib, pkgs, ... }:
let
  cfg = config.services."${name}";
in {
  options.services."${name}".enable = lib.mkEnableOption "${name}";
  config = lib.mkIf cfg.enable {
    environment.systemPackages = [ pkgs.hello ];
    systemd.services."${name}" = {
      description = "generated ${name}";
      serviceConfig.ExecStart = "\${pkgs.hello}/bin/hello";
    };
  };
}
`;
}
