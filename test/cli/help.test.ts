// CLI (Node): every command and every group word answers --help and -h with exit 0 — usage, summary and each option
// with what it does — before any argument is checked or any vault opened; incomplete or unknown words stay errors.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { COMMANDS } from '../../electron/cli/commands'
import { EXIT_CODES } from '../../electron/cli/io'
import { loadSodium } from '../../electron/core/platform/crypto/sodium'
import { createVault, MIN_KDF, openVault } from '../../electron/core/vault/vault'
import { runCustodia } from '../helpers/cli'
import { createTempDir, hashTree } from '../helpers/vaultTestUtils'

const GROUP_WORDS = [...new Set(COMMANDS.filter((c) => c.words.length > 1).map((c) => c.words[0]!))]

describe('custodia <command> --help', () => {
  it('knows the group words the docs name', () => {
    expect(GROUP_WORDS).toEqual(expect.arrayContaining(['bundle', 'dossier', 'audit', 'contacts', 'identity', 'letter', 'templates']))
  })

  it.each(COMMANDS.map((c) => [c.words.join(' '), c] as const))(
    '%s answers --help and -h with its usage, summary and options',
    async (_, command) => {
      for (const flag of ['--help', '-h']) {
        // No directory, no passphrase: help needs neither, and the arguments are not counted.
        const result = await runCustodia([...command.words, flag])
        expect(result.code).toBe(0)
        expect(result.stderr).toBe('')
        expect(result.stdout).toContain(`Usage: custodia ${command.usage}`)
        expect(result.stdout.toLowerCase()).toContain(command.summary.toLowerCase())
        for (const [name, option] of Object.entries(command.options ?? {})) {
          expect(option.help.trim()).not.toBe('')
          expect(result.stdout).toMatch(new RegExp(`--${name}\\b[^\\n]*${option.help.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`))
        }
        expect(result.stdout).toContain('-h, --help')
      }
    },
  )

  it('answers help given after other arguments too, but not after --', async () => {
    const late = await runCustodia(['bundle', 'import', '/no/such/vault', 'file.custodia', '--ids', 'a', '--help'])
    expect(late.code).toBe(0)
    expect(late.stdout).toContain('Usage: custodia bundle import')
    // After `--` "-h" is a search query like any other: the command runs (and here needs a passphrase).
    const literal = await runCustodia(['search', '/no/such/vault', '--', '-h'])
    expect(literal.code).toBe(EXIT_CODES.USAGE)
    expect(literal.stdout).toBe('')
    expect(literal.stderr).toContain('No passphrase given')
  })

  it.each(GROUP_WORDS)('%s --help and -h list the subcommands of the group', async (word) => {
    const members = COMMANDS.filter((c) => c.words[0] === word)
    for (const flag of ['--help', '-h']) {
      const result = await runCustodia([word, flag])
      expect(result.code).toBe(0)
      expect(result.stderr).toBe('')
      for (const c of members) {
        expect(result.stdout).toContain(`custodia ${c.usage}`)
        expect(result.stdout).toContain(c.summary)
      }
      expect(result.stdout).not.toContain(COMMANDS.find((c) => c.words[0] !== word)!.usage)
    }
    expect((await runCustodia(['help', word])).stdout).toContain(`Usage: custodia ${word} <subcommand>`)
  })

  it('a group word alone lists its subcommands as a usage error; an unknown subcommand names the group help', async () => {
    const alone = await runCustodia(['bundle'])
    expect(alone.code).toBe(EXIT_CODES.USAGE)
    expect(alone.stderr).toContain('custodia bundle export')
    const unknown = await runCustodia(['bundle', 'explode'])
    expect(unknown.code).toBe(EXIT_CODES.USAGE)
    expect(unknown.stderr).toContain("unknown command 'bundle explode'")
    expect(unknown.stderr).toContain('custodia bundle --help')
  })

  it('custodia --help, -h and help list every command; help <words> shows one; no arguments is a usage error', async () => {
    for (const argv of [['--help'], ['-h'], ['help']]) {
      const result = await runCustodia(argv)
      expect(result.code).toBe(0)
      for (const c of COMMANDS) expect(result.stdout).toContain(`custodia ${c.usage}`)
    }
    const one = await runCustodia(['help', 'audit', 'verify'])
    expect(one.code).toBe(0)
    expect(one.stdout).toContain('Usage: custodia audit verify <dir>')
    expect((await runCustodia(['help', 'frobnicate'])).code).toBe(EXIT_CODES.USAGE)
    const none = await runCustodia([])
    expect(none.code).toBe(EXIT_CODES.USAGE)
    expect(none.stderr).toContain('Usage: custodia <command>')
  })

  it('a wrong number of arguments points at the command help', async () => {
    const result = await runCustodia(['ls'], { env: { CUSTODIA_PASSPHRASE: 'irrelevant passphrase' } })
    expect(result.code).toBe(EXIT_CODES.USAGE)
    expect(result.stderr).toContain('custodia ls --help')
  })

  it('unlock-check says what it really does: a wrong passphrase changes no file, the right one adds audit entries', async () => {
    const help = await runCustodia(['unlock-check', '--help'])
    expect(help.stdout).not.toMatch(/without changing anything/)
    expect(help.stdout).toContain('A wrong one changes no file.')
    expect(help.stdout).toContain('adds an unlock and a lock entry to the audit log')
    expect((await runCustodia(['--help'])).stdout).toContain('adds an unlock and a lock entry to the audit log')

    // …and the help is true.
    const root = createTempDir()
    try {
      const dir = path.join(root, 'vault')
      const passphrase = new TextEncoder().encode('correct horse battery staple')
      const sodium = await loadSodium('native')
      ;(await createVault(dir, passphrase, { sodium, kdf: MIN_KDF })).vault.lock()
      const before = hashTree(dir)
      const wrong = await runCustodia(['unlock-check', dir], { env: { CUSTODIA_PASSPHRASE: 'not the passphrase at all' } })
      expect(wrong.code).toBe(EXIT_CODES.WRONG_PASSPHRASE)
      expect(hashTree(dir)).toEqual(before)
      const right = await runCustodia(['unlock-check', dir], { env: { CUSTODIA_PASSPHRASE: 'correct horse battery staple' } })
      expect(right.code).toBe(0)
      expect(hashTree(dir)).not.toEqual(before)
      const vault = await openVault(dir, passphrase, { sodium })
      try {
        // The creation's lock, unlock-check's unlock and lock, then ours: what its help promises. (Other entries, such as
        // the one-time move of sensitive parts at a first unlock, are not unlock-check's to promise.)
        const types = vault.audit.list().map((e) => e.type)
        expect(types.filter((t) => t === 'vault.locked' || t === 'vault.unlocked')).toEqual([
          'vault.locked',
          'vault.unlocked',
          'vault.locked',
          'vault.unlocked',
        ])
      } finally {
        vault.lock()
      }
    } finally {
      fs.rmSync(root, { recursive: true, force: true })
    }
  })
})
