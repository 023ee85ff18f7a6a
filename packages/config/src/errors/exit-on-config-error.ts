import { isConfigValidationError } from './config-validation-error.ts';

/** Where {@link exitOnConfigError} writes and how it exits; replaceable in tests. */
export interface ExitOnConfigErrorOptions {
  /** @default text => process.stderr.write(text) */
  write?: (text: string) => void;
  /** @default process.exit */
  exit?: (code: number) => never;
}

/**
 * Refuses to start: prints the configuration error (every problem, with key, source and reason)
 * to stderr and exits with code 1. Use it around the first load:
 * `const config = await loadConfig(options).catch(exitOnConfigError);`
 * Other errors are printed too (the process cannot run without its config either).
 */
export function exitOnConfigError(error: unknown, options: ExitOnConfigErrorOptions = {}): never {
  const write = options.write ?? ((text: string) => void process.stderr.write(text));
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const text = isConfigValidationError(error)
    ? error.message
    : `Cannot load the configuration: ${error instanceof Error ? error.message : String(error)}`;
  write(`${text}\n`);
  return exit(1);
}
