import type { Command } from "commander";

/** `steward serve`: the server itself, as `node dist/main.js` runs it. */
export function registerServe(program: Command): void {
  program
    .command("serve")
    .description(
      "Run the Steward server (the Admin API and the gateway), configured by the environment (docs/configuration.md), until SIGTERM or SIGINT. It migrates the database at start; `steward migrate` does that alone, for a deploy step.",
    )
    .action(async () => {
      // Loaded only for this command, so that the everyday commands start fast.
      const [{ loadConfig }, { serve }, { packageVersion }] = await Promise.all([
        import("../../config.js"),
        import("../../server.js"),
        import("../../version.js"),
      ]);
      await serve(loadConfig(), packageVersion());
    });
}
