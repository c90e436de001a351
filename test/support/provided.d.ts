// Values the global setup (test/support/global-setup.ts) provides to every test file: inject('databaseUrl').
export {};

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the shared PostgreSQL server's maintenance database; tests create their own databases there. */
    databaseUrl: string;
    /** host:port of the shared Temporal server (namespace "default"). */
    temporalAddress: string;
  }
}
