// Build-time values the Salesforce modules read (WXT exposes WXT_-prefixed variables).
interface ImportMetaEnv {
  /** Vite's mode: 'production', 'development', or 'e2e' for the end-to-end test build. */
  readonly MODE: string;
  /** The consumer key of the Salesforce app this build signs in with (lib/salesforce/client-id.ts). */
  readonly WXT_SALESFORCE_CLIENT_ID?: string;
}
