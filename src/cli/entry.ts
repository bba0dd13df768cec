import { runCli } from './main'

// Everything the console writes (database, WAL, keystore, reports) is for this OS user only.
process.umask(0o077)
const code = await runCli(process.argv)
// Native keychain and database handles may keep the loop alive; the command is done.
process.exit(code)
