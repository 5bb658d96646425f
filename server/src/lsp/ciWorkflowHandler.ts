// `hostlens/ciWorkflow`: the generated CI workflow for the palette command, built by the same code as `hostlens ci`.
import { ciOptions, workflowPath, workflowText } from '../features/ciWorkflow';
import type { IndexSnapshot } from '../index/workspaceIndex';
import { ciDryRunArgv } from '../shared/ciDryRun';
import type { CiWorkflowParams, CiWorkflowResult } from '../shared/protocol';

/** The workspace folder is taken as the repository root (where `.gitea/` and `.github/` belong). */
export function ciWorkflow(snap: IndexSnapshot | null, p: CiWorkflowParams): CiWorkflowResult | null {
  if (!snap || (p.forge !== 'gitea' && p.forge !== 'github')) return null;
  const formatter = p.formatter === 'alejandra' || p.formatter === 'nixfmt' ? { formatter: p.formatter } : {};
  return { path: workflowPath(p.forge), text: workflowText(ciOptions(snap, p.forge, ciDryRunArgv, formatter)) };
}
