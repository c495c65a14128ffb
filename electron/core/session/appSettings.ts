// Main process: the app's own small settings file (outside any vault): recently opened vault folders and the panic
// shortcut (it must work before any vault is unlocked). It holds no vault content: only folder paths the user chose. Written atomically (platform/fs/atomicWrite).
import { mkdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { z } from 'zod'
import { writeFileAtomicSync } from '../platform/fs/atomicWrite'
import type { PanicShortcutStore } from './panicLock'

const settingsSchema = z.object({
  recentVaults: z.array(z.string()).max(20).default([]),
  // Absent: never chosen (the default applies); null: turned off.
  panicShortcut: z.string().max(100).nullable().optional(),
})
export type AppSettings = z.infer<typeof settingsSchema>

const MAX_RECENT = 8

export class AppSettingsStore implements PanicShortcutStore {
  private readonly file: string

  constructor(userDataDir: string) {
    this.file = join(userDataDir, 'custodia-settings.json')
  }

  read(): AppSettings {
    try {
      return settingsSchema.parse(JSON.parse(readFileSync(this.file, 'utf8')))
    } catch {
      // Missing or unreadable settings are not worth failing over: start fresh.
      return { recentVaults: [] }
    }
  }

  rememberVault(dir: string): void {
    const current = this.read()
    const recentVaults = [dir, ...current.recentVaults.filter((d) => d !== dir)].slice(0, MAX_RECENT)
    this.write({ ...current, recentVaults })
  }

  readPanicShortcut(): string | null | undefined {
    return this.read().panicShortcut
  }

  writePanicShortcut(accelerator: string | null): void {
    this.write({ ...this.read(), panicShortcut: accelerator })
  }

  private write(settings: AppSettings): void {
    mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 })
    writeFileAtomicSync(this.file, JSON.stringify(settings, null, 2), { mode: 0o600 })
  }
}
