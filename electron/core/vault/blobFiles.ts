// Main process (Node only): what happens to blob files beyond writing them — overwriting a blob with zeros before it
// goes (shredding, re-encryption) and putting a re-encrypted blob in place of the old one.

import fsp from 'node:fs/promises'
import path from 'node:path'
import { syncDirectory } from './files'

/** The suffix of a re-encrypted blob waiting to replace the old one (itemKeyMigration.ts; removeLeftovers knows it). */
export const REKEY_SUFFIX = '.rekey'

/**
 * After the commit: overwrites the old blob (the shared-key ciphertext) with zeros, then renames the re-encrypted one
 * over it and fsyncs the folder. removeLeftovers calls it too, for a `.rekey` file whose commit happened before a kill.
 */
export async function finishRekeyedBlob(finalPath: string, rekeyPath: string): Promise<void> {
  await overwriteWithZeros(finalPath)
  await fsp.rename(rekeyPath, finalPath)
  await syncDirectory(path.dirname(finalPath))
}

/**
 * Overwrites a file's bytes with zeros in place and fsyncs it (best effort: a missing file is fine). On an SSD or a
 * copy-on-write file system the old blocks may survive anyway (docs/CRYPTO.md section 13).
 */
export async function overwriteWithZeros(file: string): Promise<void> {
  let handle: fsp.FileHandle
  try {
    handle = await fsp.open(file, 'r+')
  } catch {
    return
  }
  try {
    const size = (await handle.stat()).size
    const zeros = Buffer.alloc(Math.min(size, 1 << 20))
    for (let offset = 0; offset < size; offset += zeros.length) {
      await handle.write(zeros, 0, Math.min(zeros.length, size - offset), offset)
    }
    await handle.sync()
  } finally {
    await handle.close()
  }
}
