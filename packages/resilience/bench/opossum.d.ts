// The slice of opossum's API the policies benchmark uses (the package ships no types, and a
// benchmark is no reason to add @types/opossum to the workspace).
declare module 'opossum' {
  export default class CircuitBreaker<R = unknown> {
    constructor(action: (...args: unknown[]) => Promise<R>, options?: { timeout?: number | false });
    fire(...args: unknown[]): Promise<R>;
    shutdown(): void;
  }
}
