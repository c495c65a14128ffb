// Test helper (child Node process): the `custodia` command run from the sources, as bin/custodia.js runs the built
// one (same runCli, real stdin/stdout/stderr, real signals), so a test can kill it half-way without a build first.
// Usage: node --import tsx test/helpers/cliChild.ts <custodia arguments…>
import { runCli } from '../../electron/cli/index'

process.exitCode = await runCli(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
})
