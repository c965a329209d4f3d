/** The innermost message of a failure (an activity's, a child's): what went wrong at the far side. */
export function innermostMessage(error: unknown): string {
  let current: unknown = error;
  while (current instanceof Error && (current as { cause?: unknown }).cause instanceof Error) current = (current as { cause: unknown }).cause;
  return current instanceof Error ? current.message : String(error);
}
