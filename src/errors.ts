// Typed errors shared by every layer: each carries what an operator needs to find the cause
// (a config path, a file position, a command and its stderr), never a bare string.

export class TandemError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A config.boot (or other config text) that cannot be parsed; line and column are 1-based. */
export class ConfigSyntaxError extends TandemError {
  constructor(
    readonly line: number,
    readonly column: number,
    detail: string,
    readonly file?: string,
  ) {
    super('CONFIG_SYNTAX', `${file ? `${file}:` : ''}${line}:${column}: ${detail}`);
  }
}

/**
 * A configuration value or node that is invalid; path is the node path as the operator types it.
 * A `warning` does not stop a commit: it is reported with the commit's result.
 */
export class ConfigPathError extends TandemError {
  constructor(
    readonly path: readonly string[],
    readonly detail: string,
    readonly severity: 'error' | 'warning' = 'error',
  ) {
    super('CONFIG_INVALID', path.length ? `${path.join(' ')}: ${detail}` : detail);
  }
}

/** A system tool (ip, nft, tc, …) that failed; stderr is kept verbatim for the log. */
export class CommandError extends TandemError {
  constructor(
    readonly argv: readonly string[],
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super('COMMAND_FAILED', `${argv.join(' ')} failed (${exitCode ?? 'signal'}): ${stderr.trim()}`);
  }
}

/** A failure reported by the native addon; errno is the positive libc error number when known. */
export class NativeError extends TandemError {
  constructor(
    readonly operation: string,
    readonly errno: number,
    detail: string,
  ) {
    super('NATIVE_FAILED', `${operation}: ${detail}`);
  }
}
