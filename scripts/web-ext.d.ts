// web-ext ships no types; only the programmatic lint call scripts/lint-firefox.ts makes.
declare module 'web-ext' {
  const webExt: {
    cmd: { lint(params: Record<string, unknown>, options: { shouldExitProgram: boolean }): Promise<unknown> };
  };
  export default webExt;
}
