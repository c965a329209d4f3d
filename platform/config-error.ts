/** A problem the operator must fix (bad setting, unreachable service): printed as one line, exit code 1. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}
