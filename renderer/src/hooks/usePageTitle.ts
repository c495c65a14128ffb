// Renderer: the window's title for the page on screen ("Library — Helsinki Committee — Custodia"), so the task bar,
// the window switcher and screen readers say where the person is. Each screen also shows the same name as its h1.
import { useEffect } from 'react'
import { t } from '../i18n/intl'

/** `page` null: a screen inside this one sets the title (effects run child first, so the parent must stay out). */
export function usePageTitle(page: string | null, vaultName?: string | null): void {
  useEffect(() => {
    if (page === null) return
    document.title = [page, vaultName, t('hooks.usePageTitle.custodia')].filter(Boolean).join(' — ')
  }, [page, vaultName])
}

/** The name a vault goes by: the organisation's name when its profile gives one, else the vault folder's own name. */
export function vaultDisplayName(dir: string | null, organisationName: string | null | undefined): string {
  const name = organisationName?.trim()
  if (name) return name
  if (!dir) return t('hooks.usePageTitle.vault')
  const parts = dir.split(/[\\/]+/).filter(Boolean)
  return parts.at(-1) ?? dir
}
