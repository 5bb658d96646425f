// A problem found in a file, in editor terms but without LSP types: what every checker produces and the
// protocol layer converts.
import type { Range } from './text';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface TextReplacement { range: Range; newText: string }

export interface Fix { title: string; edits: TextReplacement[] }

export interface Finding {
  /** Workspace-relative path. */
  file: string;
  range: Range;
  severity: Severity;
  /** Who found it: `nix`, `hostlens`, `statix`, `deadnix`. */
  source: string;
  /** A stable name for the kind of finding (statix lint name, deadnix, `missing-import`, …). */
  code?: string;
  message: string;
  fixes?: Fix[];
  /** Marks unused code so editors can fade it. */
  unnecessary?: boolean;
}
