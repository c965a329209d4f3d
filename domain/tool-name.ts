// Zod-free on purpose: graph stepping in the workflow uses it, and the worker evaluates
// every module a workflow imports once per workflow.
import type { ToolDefinition } from './tools.js';

/** An agent names a tool of its organization, or carries the definition itself. */
export function toolName(tool: string | ToolDefinition): string {
  return typeof tool === 'string' ? tool : tool.name;
}
