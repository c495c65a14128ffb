// Shared: IPC channels of the vault's life cycle (create, unlock, lock, passphrase, auto-lock setting) and its
// protections (wipe after wrong passphrases, duress passphrase: issue #16).
import { z } from 'zod'
import { ROLES } from '../../members/roles'
import { absolutePath, channel, empty } from './commonSchemas'

const passphrase = z.string().min(1, 'passphrase is empty').max(1024, 'passphrase is too long')
// Only the shape here: what a NEW passphrase must be is shared/passphrasePolicy.ts, enforced by the session (so the app
// and the CLI refuse the same passphrases, with the policy's own plain message rather than a request-check one).
const newPassphrase = passphrase

/** One change found in the vault since Custodia last wrote it (a removed record, an edited setting…), in plain words. */
export const integrityProblemSchema = z.strictObject({
  area: z.string(),
  message: z.string(),
  ids: z.array(z.string()),
})
export type IntegrityProblem = z.infer<typeof integrityProblemSchema>

export const vaultStateSchema = z.strictObject({
  state: z.enum(['none', 'locked', 'unlocked']),
  dir: z.string().nullable(),
  vaultId: z.string().nullable(),
  autoLockMinutes: z.number().int(),
  /**
   * Present only when the unlock found the vault changed outside Custodia: it is open for reading, and every change is
   * refused until the user accepts what is there (vault:acceptIntegrity) or locks.
   */
  integrityProblems: z.array(integrityProblemSchema).optional(),
  /** Who the unlocked vault works for (absent while locked). */
  member: z
    .strictObject({ id: z.string(), name: z.string(), role: z.enum(ROLES) })
    .nullable()
    .optional(),
})
export type VaultState = z.infer<typeof vaultStateSchema>

/** The wipe policy and the working member's duress passphrase, as the Security page shows them. */
export const vaultProtectionSchema = z.strictObject({
  /** Wrong tries in a row (3..20) that erase the passphrases; null when off. */
  wipeAfter: z.number().int().nullable(),
  /** The erase also destroys the recovery keys. */
  wipeIncludesRecovery: z.boolean(),
  duress: z.strictObject({ on: z.boolean(), action: z.enum(['decoy', 'wipe']).nullable(), keepRecovery: z.boolean() }),
})
export type VaultProtection = z.infer<typeof vaultProtectionSchema>

/** What the lock screen may know before an unlock (read without the key): tries left before the erase, or that it happened. */
export const unlockGuardSchema = z.strictObject({
  wipeAfter: z.number().int().nullable(),
  includesRecovery: z.boolean(),
  failed: z.number().int(),
  triesLeft: z.number().int().nullable(),
  erased: z.enum(['passphrase', 'all']).nullable(),
})
export type UnlockGuard = z.infer<typeof unlockGuardSchema>

export const vaultChannels = {
  'vault:status': channel(empty, vaultStateSchema),
  'vault:listRecent': channel(empty, z.strictObject({ dirs: z.array(z.string()) })),
  'vault:chooseFolder': channel(
    z.strictObject({ purpose: z.enum(['create', 'open', 'sync']) }),
    z.strictObject({ dir: z.string().nullable() }),
  ),
  'vault:create': channel(
    z.strictObject({ dir: absolutePath, passphrase: newPassphrase }),
    z.strictObject({ recoveryKey: z.string(), status: vaultStateSchema }),
  ),
  'vault:unlock': channel(
    z.strictObject({ dir: absolutePath, passphrase, member: z.string().min(1).max(200).optional() }),
    vaultStateSchema,
  ),
  'vault:unlockWithRecoveryKey': channel(z.strictObject({ dir: absolutePath, recoveryKey: z.string().min(1).max(200) }), vaultStateSchema),
  'vault:lock': channel(empty, vaultStateSchema),
  /**
   * Destroys a document, dossier, annotation thread or attachment for good (crypto-shredding; it cannot be undone).
   * `id`: a record or attachment id (32 hex characters) or an annotation's UUID.
   */
  'vault:shredItem': channel(
    z.strictObject({ id: z.string().min(32).max(36) }),
    z.strictObject({
      kind: z.enum(['document', 'dossier', 'annotation', 'attachment', 'record']),
      records: z.number().int().min(0),
      attachments: z.number().int().min(0),
      logCleared: z.boolean(),
    }),
  ),
  'vault:acceptIntegrity': channel(empty, vaultStateSchema),
  'vault:changePassphrase': channel(z.strictObject({ oldPassphrase: passphrase, newPassphrase }), z.strictObject({})),
  'vault:setAutoLock': channel(
    z.strictObject({
      minutes: z
        .number()
        .int()
        .min(0)
        .max(24 * 60),
    }),
    vaultStateSchema,
  ),
  'vault:getProtection': channel(empty, vaultProtectionSchema),
  // The range (3..20) is checked by the vault, which says it in plain words.
  'vault:setWipeAfter': channel(
    z.strictObject({ after: z.number().int().nullable(), includesRecovery: z.boolean() }),
    vaultProtectionSchema,
  ),
  'vault:setDuress': channel(
    z.strictObject({ passphrase, decoyDir: absolutePath, action: z.enum(['decoy', 'wipe']), keepRecovery: z.boolean() }),
    vaultProtectionSchema,
  ),
  'vault:deleteDuress': channel(empty, vaultProtectionSchema),
  'vault:getUnlockGuard': channel(z.strictObject({ dir: absolutePath }), unlockGuardSchema),
} as const
