// CLI (Node): bundle, identity and contacts commands — export (consent-filtered, signed, encrypted), inspect (no keys),
// verify and import (our identity, a key file or a passphrase), `identity show`, `contacts add|ls`. Thin layer over
// electron/core/exchange. Bundle passphrases come from CUSTODIA_BUNDLE_PASSPHRASE or a prompt.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { CustodiaError } from '../../shared/errors'
import { sentence } from '../../shared/i18n/sentence'
import { inspectBundle } from '../core/exchange/bundle/bundleFormat'
import { listDossierLists } from '../core/dossiers/dossierService'
import { addContact, findContact, listContacts } from '../core/exchange/contacts'
import { exportBundle, REDACTION_PROFILE_NAMES, type RedactionProfileName } from '../core/exchange/exportService'
import { buildPublicIdentity, exportOwnIdentityFile, parseIdentityFile } from '../core/exchange/identity'
import { importBundleItems, openBundleForImport, type ImportKeys } from '../core/exchange/importService'
import { encodeNewBundlePassphrase, encodePassphrase } from '../core/session/passphrase'
import { passphraseFileOption, withVault } from './cliSession'
import type { Command, CommandContext, CommandOption } from './command'
import { flattenField as flat, readSecret, UsageError, writeLine, writeText } from './io'

const passphraseOption = passphraseFileOption

function readBundlePassphrase(ctx: CommandContext): Promise<string> {
  return readSecret(ctx.io, { envName: 'CUSTODIA_BUNDLE_PASSPHRASE', prompt: 'Bundle passphrase: ' })
}

/** The bundle passphrase prompt, worded for writing or for opening a bundle. */
function passphrasePromptOption(purpose: 'protect' | 'open'): Record<'passphrase-prompt', CommandOption> {
  const what = purpose === 'protect' ? 'protect the bundle with a passphrase' : 'open a passphrase bundle'
  return { 'passphrase-prompt': { type: 'boolean', help: `${what}: read it from CUSTODIA_BUNDLE_PASSPHRASE, or a hidden prompt` } }
}

const identityOption: Record<'identity', CommandOption> = {
  identity: { type: 'string', value: 'KEYFILE', help: "open the bundle with this key file instead of this vault's own identity" },
}

function readTextFile(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    throw new CustodiaError('NOT_FOUND', `Cannot read the ${what}.`)
  }
}

function toList(value: unknown): string[] {
  const raw = Array.isArray(value) ? value : typeof value === 'string' ? [value] : []
  return raw
    .flatMap((v: string) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '')
}

async function openForImport(ctx: CommandContext, vault: Parameters<typeof openBundleForImport>[0]) {
  const keys: ImportKeys = {}
  const identity = ctx.options['identity'] as string | undefined
  if (identity) Object.assign(keys, { identityFileText: readTextFile(identity, 'identity file') })
  // Opening takes any passphrase the bundle was made with (only new bundles follow our policy), NFC as in the app.
  else if (ctx.options['passphrase-prompt'] === true) Object.assign(keys, { passphrase: encodePassphrase(await readBundlePassphrase(ctx)) })
  return openBundleForImport(vault, path.resolve(ctx.args[1]!), keys)
}

const SIGNER_TEXT = {
  verified: 'verified contact',
  known: 'known contact, NOT verified',
  unknown: 'UNKNOWN signer (not in your contacts)',
} as const

export const bundleCommands: Command[] = [
  {
    words: ['bundle', 'export'],
    usage:
      'bundle export <dir> (--to <contact|age1…>… | --passphrase-prompt) (--all | --ids ID,… | --list NAME) --out FILE [--profile full|standard|public-list] [--no-readable] [--history]',
    summary: 'write a signed, encrypted bundle; consent decides what may go, and what stays is listed with the reason',
    options: {
      ...passphraseOption,
      to: {
        type: 'string',
        multiple: true,
        value: 'RECIPIENT',
        help: 'a contact (by name) or an age1… key to encrypt to (repeat, or separate with commas)',
      },
      ...passphrasePromptOption('protect'),
      all: { type: 'boolean', help: 'export every record (consent still decides which dossiers may go)' },
      ids: {
        type: 'string',
        multiple: true,
        value: 'ID,…',
        help: 'export these records (ids separated by commas, or the option repeated)',
      },
      list: { type: 'string', value: 'NAME', help: 'export the dossiers of this dossier list' },
      out: { type: 'string', value: 'FILE', help: 'the bundle file to write (required)' },
      profile: {
        type: 'string',
        value: 'PROFILE',
        help: `what of each dossier goes: ${REDACTION_PROFILE_NAMES.join(', ')} (default standard)`,
      },
      'no-readable': { type: 'boolean', help: 'leave out the plain-text copies for readers without Custodia' },
      history: { type: 'boolean', help: 'include earlier revisions' },
      partner: {
        type: 'string',
        multiple: true,
        value: 'NAME',
        help: 'another partner organisation the recipients act for, for the consent check (repeat for several)',
      },
    },
    arity: 1,
    run: async (ctx) => {
      const out = ctx.options['out'] as string | undefined
      if (!out) throw new UsageError('Give the bundle file to write with --out FILE.')
      const to = toList(ctx.options['to'])
      const usePassphrase = ctx.options['passphrase-prompt'] === true
      if (to.length === 0 && !usePassphrase) throw new UsageError('Give recipients with --to NAME|age1… or use --passphrase-prompt.')
      if (to.length > 0 && usePassphrase) throw new UsageError('Use either --to or --passphrase-prompt, not both.')
      const ids = toList(ctx.options['ids'])
      const listName = ctx.options['list'] as string | undefined
      const all = ctx.options['all'] === true
      if (Number(all) + Number(ids.length > 0) + Number(listName !== undefined) !== 1)
        throw new UsageError('Choose what to export with exactly one of --all, --ids or --list.')
      const profile = (ctx.options['profile'] as string | undefined) ?? 'standard'
      if (!(REDACTION_PROFILE_NAMES as string[]).includes(profile))
        throw new UsageError(`--profile must be one of ${REDACTION_PROFILE_NAMES.join(', ')}.`)
      // The bundle passphrase policy is checked here, before the vault is unlocked (exportBundle enforces it too).
      const passphrase = usePassphrase ? encodeNewBundlePassphrase(await readBundlePassphrase(ctx)) : undefined
      try {
        await withVault(ctx, async (vault) => {
          const contactIds: string[] = []
          const ageRecipients: string[] = []
          for (const t of to) {
            if (t.startsWith('age1')) ageRecipients.push(t)
            else contactIds.push(findContact(vault, t).id)
          }
          let recordIds = ids
          if (listName !== undefined) {
            const list = listDossierLists(vault).find((l) => l.name.trim().toLowerCase() === listName.trim().toLowerCase())
            if (!list) throw new CustodiaError('NOT_FOUND', 'No dossier list with this name.')
            recordIds = [list.id]
          }
          const result = await exportBundle(
            vault,
            {
              selection: all ? { all: true } : { recordIds },
              contactIds,
              ageRecipients,
              ...(passphrase ? { passphrase } : {}),
              partnerNames: toList(ctx.options['partner']),
              profile: profile as RedactionProfileName,
              readable: ctx.options['no-readable'] !== true,
              includeHistory: ctx.options['history'] === true,
            },
            { outPath: path.resolve(out) },
          )
          for (const e of result.excluded)
            writeLine(ctx.io.stderr, `custodia: not exported: ${e.kind} ${e.id} (${flat(e.title)}): ${e.explanation}.`)
          writeLine(
            ctx.io.stdout,
            sentence('cli.bundle.exported', {
              items: result.items,
              attachments: result.attachments,
              excluded: result.excluded.length,
            }),
          )
          for (const f of result.recipientFingerprints) writeLine(ctx.io.stdout, `recipient ${f}`)
        })
      } finally {
        passphrase?.fill(0)
      }
    },
  },
  {
    words: ['bundle', 'inspect'],
    usage: 'bundle inspect FILE',
    summary: 'what can be told about a bundle without keys: protection, recipients, sizes',
    arity: 1,
    run: async (ctx) => {
      const info = await inspectBundle(path.resolve(ctx.args[0]!))
      writeLine(ctx.io.stdout, `size\t${info.size}`)
      writeLine(ctx.io.stdout, `protection\t${info.protection}`)
      writeLine(ctx.io.stdout, `x25519 recipients\t${info.x25519Recipients}`)
      if (info.scryptWorkFactor !== null) writeLine(ctx.io.stdout, `scrypt work factor\t2^${info.scryptWorkFactor}`)
      if (info.otherStanzas.length > 0) writeLine(ctx.io.stdout, `other stanzas\t${flat(info.otherStanzas.join(','))}`)
      writeLine(ctx.io.stdout, `content size\t${info.plaintextSize ?? 'invalid'}`)
    },
  },
  {
    words: ['bundle', 'verify'],
    usage: 'bundle verify <dir> FILE [--identity KEYFILE | --passphrase-prompt]',
    summary: 'decrypt and check a bundle completely (signature, every hash); print the signer and items; import nothing',
    options: { ...passphraseOption, ...identityOption, ...passphrasePromptOption('open') },
    arity: 2,
    run: (ctx) =>
      withVault(ctx, async (vault) => {
        const opened = await openForImport(ctx, vault)
        try {
          const { signer, items } = opened.preview
          writeLine(ctx.io.stdout, sentence('cli.bundle.verified', { items: items.length }))
          writeLine(ctx.io.stdout, `signer\t${flat(signer.name)}\t${signer.fingerprint}\t${SIGNER_TEXT[signer.status]}`)
          // Every field of an item comes from the bundle, so each is kept to its column and line.
          for (const i of items)
            writeLine(ctx.io.stdout, [flat(i.id), flat(i.kind), flat(i.consent), i.held ? 'held' : 'new', flat(i.title)].join('\t'))
          if (signer.status === 'unknown')
            writeLine(
              ctx.io.stderr,
              'custodia: warning: the signer is not in your contacts: compare the fingerprint with the sender before trusting this bundle.',
            )
        } finally {
          await opened.dispose()
        }
      }),
  },
  {
    words: ['bundle', 'import'],
    usage: 'bundle import <dir> FILE [--identity KEYFILE | --passphrase-prompt] [--ids ID,…] [--as-revisions] [--trust-unknown-signer]',
    summary: 'verify a bundle and store its items as new records (or --as-revisions of records already held)',
    options: {
      ...passphraseOption,
      ...identityOption,
      ...passphrasePromptOption('open'),
      ids: {
        type: 'string',
        multiple: true,
        value: 'ID,…',
        help: 'import only these items of the bundle (ids separated by commas, or the option repeated)',
      },
      'as-revisions': { type: 'boolean', help: 'store items already held as new revisions of those records' },
      'trust-unknown-signer': { type: 'boolean', help: 'import even though the signer is not among your contacts' },
    },
    arity: 2,
    run: (ctx) =>
      withVault(ctx, async (vault) => {
        const opened = await openForImport(ctx, vault)
        try {
          const { signer } = opened.preview
          writeLine(ctx.io.stderr, `custodia: signer ${flat(signer.name)} ${signer.fingerprint}: ${SIGNER_TEXT[signer.status]}`)
          const ids = toList(ctx.options['ids'])
          const result = await importBundleItems(vault, opened, {
            ...(ids.length > 0 ? { ids } : {}),
            asRevisions: ctx.options['as-revisions'] === true,
            trustUnknownSigner: ctx.options['trust-unknown-signer'] === true,
          })
          for (const c of result.created)
            writeLine(ctx.io.stdout, `created\t${c.id}${c.id === c.bundleId ? '' : `\t(from ${flat(c.bundleId)})`}`)
          for (const r of result.revised) writeLine(ctx.io.stdout, `revised\t${r.id}\t${r.revision}`)
          for (const k of result.keptInHistory) {
            writeLine(ctx.io.stdout, `kept\t${k.id}\t${k.revision}`)
            writeLine(ctx.io.stderr, `custodia: ${flat(k.notice)}`)
          }
          for (const s of result.skipped) writeLine(ctx.io.stderr, `custodia: skipped ${flat(s.id)}: ${s.reason}.`)
        } finally {
          await opened.dispose()
        }
      }),
  },
  {
    words: ['identity', 'show'],
    usage: 'identity show <dir>',
    summary: "print this vault's public identity file (send it to partners; compare the fingerprint by phone)",
    options: passphraseOption,
    arity: 1,
    run: (ctx) =>
      withVault(ctx, (vault) => {
        writeText(ctx.io.stdout, exportOwnIdentityFile(vault))
      }),
  },
  {
    words: ['contacts', 'add'],
    usage:
      'contacts add <dir> (IDENTITY_FILE | --name N --recipient age1… --signing-key B64 [--organisation O] [--fingerprint F]) [--verified]',
    summary: 'add a partner from its public identity file or from flags; --verified after comparing the fingerprint',
    options: {
      ...passphraseOption,
      name: { type: 'string', value: 'N', help: "the partner's name (without an identity file)" },
      organisation: { type: 'string', value: 'O', help: "the partner's organisation" },
      recipient: { type: 'string', value: 'age1…', help: "the partner's encryption key (without an identity file)" },
      'signing-key': { type: 'string', value: 'B64', help: "the partner's signing key, base64 (without an identity file)" },
      fingerprint: { type: 'string', value: 'F', help: 'the fingerprint the partner read to you; refused if it does not match' },
      verified: { type: 'boolean', help: 'mark the contact verified (only after comparing the fingerprint with the partner)' },
    },
    arity: [1, 2],
    run: async (ctx) => {
      const file = ctx.args[1]
      const o = ctx.options
      const identity = file
        ? parseIdentityFile(readTextFile(file, 'identity file'))
        : (() => {
            if (!o['name'] || !o['recipient'] || !o['signing-key'])
              throw new UsageError('Give an identity file, or --name, --recipient and --signing-key.')
            return buildPublicIdentity({
              name: o['name'] as string,
              recipient: o['recipient'] as string,
              signingKey: o['signing-key'] as string,
              ...(o['organisation'] ? { organisation: o['organisation'] as string } : {}),
              ...(o['fingerprint'] ? { fingerprint: o['fingerprint'] as string } : {}),
            })
          })()
      await withVault(ctx, (vault) => {
        const c = addContact(vault, identity, { verified: o['verified'] === true })
        writeLine(ctx.io.stdout, [c.id, flat(c.name), c.fingerprint, c.verified ? 'verified' : 'not verified'].join('\t'))
      })
    },
  },
  {
    words: ['contacts', 'ls'],
    usage: 'contacts ls <dir>',
    summary: 'list contacts: id, name, organisation, signing fingerprint, verified (tab-separated)',
    options: passphraseOption,
    arity: 1,
    run: (ctx) =>
      withVault(ctx, (vault) => {
        for (const c of listContacts(vault)) {
          writeLine(
            ctx.io.stdout,
            [c.id, flat(c.name), flat(c.organisation), c.fingerprint, c.verified ? 'verified' : 'not verified'].join('\t'),
          )
        }
      }),
  },
]
