// Shared by every process: the one list of error codes that may cross a boundary (IPC, CLI exit codes).
// A message attached to a CustodiaError must be safe to show a user: no plaintext, paths or stacks.

export const ERROR_CODES = [
  'VALIDATION', // input did not match the contract or a domain rule
  'VAULT_LOCKED', // the call needs an unlocked vault
  'NOT_FOUND',
  'CONFLICT', // stale revision, duplicate, already exists
  'WRONG_PASSPHRASE', // authentication of a keyslot failed: wrong passphrase or recovery key
  'NOT_A_VAULT', // the folder holds no Custodia vault
  'CORRUPT', // vault structure unreadable (bad schema, missing tables, unreadable files)
  'TAMPERED', // an authentication tag did not verify: data was changed or swapped
  'UNSUPPORTED', // newer format version or parameters outside the accepted range
  'CANCELLED',
  'FORBIDDEN', // the member's role or status does not allow this (the message says which and what to do)
  'INTERNAL', // anything else; details stay in the process that raised it
] as const

export type ErrorCode = (typeof ERROR_CODES)[number]

export class CustodiaError extends Error {
  override readonly name = 'CustodiaError'
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message)
  }
}

export function isCustodiaError(value: unknown): value is CustodiaError {
  return value instanceof CustodiaError
}
