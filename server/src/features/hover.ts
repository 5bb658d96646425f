// Hovers in fleet terms: an option's value on every host this file affects (or "not set"), a flag on every host,
// a host's kind, entry, flags and size, an import's resolved file and the hosts it reaches, a secret's files.
import type { Span } from '../base/text';
import { snippet } from '../index/astQueries';
import { anchorAt } from './anchors';
import { pathTargets } from './definition';
import { outputTargets, packageTargets } from './flakeTargets';
import { flagHover, flagModel } from './hostFlags';
import { entryFile, hostnameOf } from './hostNames';
import { optionSites } from './optionSearch';
import { secretTargets } from './secrets';
import { affectedHosts, type NavContext } from './navContext';

export interface HoverResult { markdown: string; span: Span }

const md = (s: string) => s.replace(/([\\`*_[\]<>])/g, '\\$1');

export function hover(ctx: NavContext, file: string, offset: number): HoverResult | null {
  const a = anchorAt(ctx, file, offset);
  if (!a) return null;
  const text = (() => {
    switch (a.kind) {
      case 'option': return optionHover(ctx, file, a.path);
      case 'flag': return flagHover(ctx, a.name);
      case 'host': {
        const h = a.host;
        const closure = ctx.snap.graph.closures.get(h.name);
        const flags = flagModel(ctx).defs.filter((d) => d.host === h.name).map((d) => `${d.flag} = ${md(d.valueText)}`);
        return [
          `**host \`${h.name}\`** · ${h.kind}${hostnameOf(h) !== h.name ? ` · hostname ${hostnameOf(h)}` : ''}`,
          '',
          `- entry: ${md(entryFile(ctx.snap, h) ?? 'unknown')}`,
          `- files: ${closure?.files.size ?? 0}`,
          `- flags: ${flags.length > 0 ? [...new Set(flags)].join(', ') : 'none'}`,
        ].join('\n');
      }
      case 'path': {
        const targets = pathTargets(ctx, file, a.expr);
        if (targets.length === 0) return '**path** · no such file in the workspace';
        return targets.map((t) => {
          const hosts = ctx.snap.hostsOf(t.file);
          const via = t.hosts ? ` (for ${t.hosts.join(', ')})` : '';
          return `\`${t.file}\`${via} · reaches ${hosts.length > 0 ? hosts.join(', ') : 'no host'}`;
        }).join('\n\n');
      }
      case 'secret': {
        const targets = secretTargets(ctx, file, a.name);
        return [`**secret \`${a.name}\`**`, '', ...targets.map((t) => `- ${t.file.endsWith('.age') ? 'file' : 'registered in'} ${md(t.file)}`)].join('\n');
      }
      case 'registry': {
        const hosts = a.entry.target ? ctx.snap.hostsOf(a.entry.target) : [];
        return `**secret file \`${a.entry.name}\`** · used by ${hosts.length > 0 ? hosts.join(', ') : 'no host'}`;
      }
      case 'output':
      case 'package': {
        const defs = a.kind === 'package' ? packageTargets(ctx, a.name) : outputTargets(ctx, a.set, a.name);
        const what = a.kind === 'package' ? `package \`${a.name}\`` : `\`outputs.${a.set}${a.name ? `.${a.name}` : ''}\``;
        if (defs.length > 0) return `**${what}** · defined in ${[...new Set(defs.map((d) => md(d.file)))].join(', ')}`;
        return a.kind === 'package' && a.withSpan ? `\`${a.name}\`: from \`${ctx.snap.parsed(file)!.text.slice(a.withSpan.start, a.withSpan.end)}\`` : null;
      }
      case 'input': return `**flake input \`${a.name}\`**${a.member ? ` · \`${a.member}\`` : ''}`;
      case 'binder': return a.binder.value ? `\`${a.binder.name} = ${snippet(ctx.snap.parsed(file)!.text, a.binder.value)}\` (${a.binder.kind})` : `\`${a.binder.name}\` (${a.binder.kind})`;
      case 'var': {
        const b = a.use.binder;
        if (b) return b.value ? `\`${b.name} = ${snippet(ctx.snap.parsed(file)!.text, b.value)}\` (${b.kind})` : `\`${b.name}\` (${b.kind})`;
        return a.use.withExpr ? `\`${a.use.name}\`: from \`with ${snippet(ctx.snap.parsed(file)!.text, a.use.withExpr.env)}\`` : null;
      }
      default: return null;
    }
  })();
  return text ? { markdown: text, span: a.span } : null;
}

/** Per host this file affects: the values defined for `path` and where, or "not set". */
export function optionHover(ctx: NavContext, file: string, path: string[]): string {
  const hosts = affectedHosts(ctx, file);
  const { defs, decls } = optionSites(ctx, hosts, path);
  const lines = hosts.map((h) => {
    const mine = defs.filter((d) => d.hosts.includes(h));
    if (mine.length === 0) return `- ${h}: not set`;
    return `- ${h}: ${mine.map((d) => `${md(d.site.value ? snippet(ctx.snap.parsed(d.file)!.text, d.site.value) : '{ … }')} (${md(d.file)})`).join('; ')}`;
  });
  const decl = decls[0];
  const declared = decl ? ` · declared in ${md(decl.root ? `${decl.root}/${decl.file}` : decl.file)}` : '';
  return [`**option \`${path.join('.')}\`**${declared}`, '', ...lines].join('\n');
}
