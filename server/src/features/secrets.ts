// agenix secrets across the fleet: `age.secrets.<n>` and its `file` lead to the registry entry in secrets.nix and
// the `.age` file; a registry entry leads back to every host module that uses it.
import { basename, dirname, resolveFrom } from '../base/paths';
import { optionsOf, type OptionSite } from '../index/optionIndex';
import { REGISTRY_FILES, registryEntries, secretName, type SecretEntry } from '../index/secretsRegistry';
import { literalText } from '../syntax/walk';
import { optionSites } from './optionSearch';
import { affectedHosts, fileStart, targetAt, uniqueTargets, workspaceFiles, type NavContext, type NavTarget } from './navContext';

export function registries(ctx: NavContext): { file: string; entries: SecretEntry[] }[] {
  return REGISTRY_FILES.flatMap((file) => {
    const parsed = ctx.snap.files.isFile(file) ? ctx.snap.parsed(file) : null;
    return parsed ? [{ file, entries: registryEntries(parsed, file) }] : [];
  });
}

/** The `.age` file a `file = ./x.age;` definition names, resolved against its own file. */
export function ageFileOf(file: string, site: OptionSite): string | null {
  const lit = site.value ? literalText(site.value) : null;
  return lit !== null && site.value?.kind === 'path' ? resolveFrom(dirname(file), lit) : null;
}

/** `age.secrets.<name>.file` as the current file says, else as the hosts it affects say. */
function ageFilesFor(ctx: NavContext, file: string, name: string): string[] {
  const path = ['age', 'secrets', name, 'file'];
  const here = ctx.snap.parsed(file);
  const local = here ? optionsOf(here).sites.filter((s) => s.kind === 'def' && s.key === path.join('.')) : [];
  const found = local.map((s) => ageFileOf(file, s)).filter((f): f is string => f !== null);
  if (found.length > 0) return found;
  const across = optionSites(ctx, affectedHosts(ctx, file), path).defs;
  return [...new Set(across.map((h) => ageFileOf(h.file, h.site)).filter((f): f is string => f !== null))];
}

/** The registry entries and `.age` files of secret `name` as used from `file`. */
export function secretTargets(ctx: NavContext, file: string, name: string): NavTarget[] {
  const ageFiles = ageFilesFor(ctx, file, name);
  const out: (NavTarget | null)[] = [];
  for (const reg of registries(ctx)) {
    for (const e of reg.entries) {
      const matches = e.target !== null && (ageFiles.includes(e.target) || (ageFiles.length === 0 && basename(e.target) === `${name}.age`));
      if (matches) out.push(targetAt(ctx, { file: reg.file, root: null }, e.keySpan));
    }
  }
  for (const f of ageFiles) if (ctx.snap.files.isFile(f)) out.push(fileStart(f));
  return uniqueTargets(out);
}

/** A registry entry for an `.age` file. */
export function registryTargetsFor(ctx: NavContext, ageFile: string): NavTarget[] {
  return registries(ctx).flatMap((reg) => reg.entries.filter((e) => e.target === ageFile)
    .map((e) => targetAt(ctx, { file: reg.file, root: null }, e.keySpan))).filter((t): t is NavTarget => t !== null);
}

/** Every `age.secrets.<n>.file` definition in the workspace that names `ageFile`, with the hosts using it. */
export function secretUses(ctx: NavContext, ageFile: string): NavTarget[] {
  const base = basename(ageFile);
  const out: (NavTarget | null)[] = [];
  for (const file of workspaceFiles(ctx, (t) => t.includes(base) && t.includes('age'))) {
    const parsed = ctx.snap.parsed(file)!;
    for (const site of optionsOf(parsed).sites) {
      if (site.kind !== 'def' || site.path.length !== 4 || site.path[3] !== 'file' || secretName(site.path) === null) continue;
      if (ageFileOf(file, site) !== ageFile) continue;
      const hosts = ctx.snap.hostsOf(file);
      out.push(targetAt(ctx, { file, root: null }, site.value?.span ?? site.keySpan, hosts));
    }
  }
  return uniqueTargets(out);
}
