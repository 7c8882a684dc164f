/** A wrong setting: the message names it and says why; the process stops with it. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** The one format of a configuration error: `Invalid configuration:` then one `  NAME=value: reason` line per problem. */
export function configError(lines: readonly string[]): ConfigError {
  return new ConfigError(`Invalid configuration:\n${lines.map((l) => `  ${l}`).join('\n')}`);
}
