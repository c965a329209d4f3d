import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const repoRoot = path.resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '../..');

export interface WorkflowEdit {
  /** Relative to workflows/, e.g. `conversation/conversation.ts`. */
  file: string;
  /** Text that must be in the file exactly once. */
  find: string;
  replace: string;
}

/**
 * A copy of the platform's workflows/ with edits, as a deploy of changed workflow code
 * would have it: outside the repository, beside links to the modules it imports.
 */
export function workflowVariant(edits: WorkflowEdit[]): { workflowsPath: string; remove(): void } {
  const root = mkdtempSync(path.join(tmpdir(), 'workflow-variant-'));
  cpSync(path.join(repoRoot, 'workflows'), path.join(root, 'workflows'), { recursive: true });
  for (const linked of ['domain', 'activities', 'media-gateway', 'node_modules']) symlinkSync(path.join(repoRoot, linked), path.join(root, linked));
  for (const edit of edits) {
    const file = path.join(root, 'workflows', edit.file);
    const source = readFileSync(file, 'utf8');
    if (source.split(edit.find).length !== 2) throw new Error(`workflows/${edit.file} should contain ${JSON.stringify(edit.find)} exactly once`);
    writeFileSync(file, source.replace(edit.find, edit.replace));
  }
  return { workflowsPath: path.join(root, 'workflows', 'index.ts'), remove: () => rmSync(root, { recursive: true, force: true }) };
}
