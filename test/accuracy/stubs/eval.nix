# Entry point, run by ../nixClosure.mjs with nix-instantiate --eval --strict --json:
#   --argstr mode discover                       the host names under nixosConfigurations, homeConfigurations
#                                                and darwinConfigurations (or the error that hid them)
#   --argstr mode host --argstr output O --argstr name N
#                                                evaluate one host; the files it reads are what strace records
{
  mode ? "discover",
  output ? "",
  name ? "",
}: let
  S = import ./default.nix;
  inherit (S) ctx modules flake;
  b = builtins;
  outputNames = ["nixosConfigurations" "homeConfigurations" "darwinConfigurations"];

  discover = b.listToAttrs (map (o: let
    r = b.tryEval (ctx.step {ph = "discover"; mod = o;} (
      if flake.outputs ? ${o}
      then b.attrNames flake.outputs.${o}
      else []
    ));
  in {
    name = o;
    value =
      if r.success
      then {names = r.value;}
      else {error = "the stub could not evaluate `${o}` (a throw: see README.md)";};
  })
  outputNames);

  host = let
    cfg = ctx.step {ph = "flake"; mod = "${output}.${name}";} flake.outputs.${output}.${name};
    r = b.tryEval cfg;
    ok = r.success && b.isAttrs r.value && r.value ? _hostlensSystem;
    sys = r.value._hostlensSystem;
    res = modules.evalSystem "flake.nix ${output}.${name}" sys.kind sys.args;
  in
    if !r.success
    then {error = "the stub threw while evaluating `${output}.${name}`";}
    else if !ok
    then {error = "`${output}.${name}` is not a configuration the stub recognises";}
    else
      b.seq res.modules (b.seq res.pkgs (b.seq res.paths (b.seq res.hm {
        inherit (sys) kind;
        inherit (res) modules paths;
        hmModules = res.hm;
      })));
in
  if mode == "discover"
  then discover
  else host
