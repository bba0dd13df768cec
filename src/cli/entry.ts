// Everything the console writes (database, WAL, keystore, reports) is for this OS user only.
process.umask(0o077)
const argv = process.argv
// `qqsec age …` needs none of the console (database, keychain, engines): see age-cli.ts.
const code =
  argv[2] === 'age'
    ? await (await import('./age-cli')).runAgeCli(argv)
    : await (await import('./main')).runCli(argv)
// Native keychain and database handles may keep the loop alive; the command is done.
process.exit(code)

export {}
