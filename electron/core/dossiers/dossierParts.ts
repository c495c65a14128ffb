// Main process / CLI (Node only): how a stored dossier body splits into its open body and its sensitive part, for the
// one-time move of older dossiers' sensitive sections apart (vault/partMigration.ts), handed to the vault by the one
// wiring (app/services.ts). A body that is not a valid dossier is left as it is (null).
import { DOSSIER_RECORD_KIND, parseDossier } from '../../../shared/dossiers/dossier'
import { splitDossier } from '../../../shared/dossiers/sensitiveSplit'
import type { PartSplitter } from '../vault/vault'

export const dossierPartSplitter: PartSplitter = {
  kind: DOSSIER_RECORD_KIND,
  split(body) {
    let dossier
    try {
      dossier = parseDossier(body)
    } catch {
      return null
    }
    const { open, sensitive } = splitDossier(dossier)
    return { body: open, part: sensitive }
  },
}
