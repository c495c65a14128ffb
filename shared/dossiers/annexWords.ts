// Shared (core's letter annex): a dossier's current status and vulnerability flags as a letter's annex writes them, in
// the letter's language. Annex rows built from dossiers carry the codes (toAnnexRow); this is where they become words.
// Kept beside the dossier model, not in the letter strings, so the letters folder needs nothing from the dossiers one.
import type { TemplateLanguage } from '../letters/templateModel'
import type { CurrentStatus, VulnerabilityFlag } from './dossier'

export type AnnexWords = {
  readonly statuses: Readonly<Record<CurrentStatus, string>>
  readonly flags: Readonly<Record<VulnerabilityFlag, string>>
}

export const ANNEX_WORDS: Readonly<Record<TemplateLanguage, AnnexWords>> = {
  'en-GB': {
    statuses: {
      missing: 'Missing',
      detained: 'Detained',
      charged: 'Charged',
      convicted: 'Convicted',
      deported: 'Deported',
      located: 'Located',
      released: 'Released',
      exchanged: 'Exchanged',
      returned: 'Returned to family',
      'found-alive': 'Found alive',
      'found-dead': 'Found dead',
      deceased: 'Deceased',
      unknown: 'Unknown',
    },
    flags: {
      ill: 'ill health',
      elderly: 'elderly',
      disabled: 'disability',
      minor: 'minor',
      incommunicado: 'held incommunicado',
      severeConditions: 'severe conditions',
    },
  },
  'nb-NO': {
    statuses: {
      missing: 'Savnet',
      detained: 'Fengslet',
      charged: 'Siktet',
      convicted: 'Dømt',
      deported: 'Deportert',
      located: 'Lokalisert',
      released: 'Løslatt',
      exchanged: 'Utvekslet',
      returned: 'Gjenforent med familien',
      'found-alive': 'Funnet i live',
      'found-dead': 'Funnet død',
      deceased: 'Død',
      unknown: 'Ukjent',
    },
    flags: {
      ill: 'dårlig helse',
      elderly: 'eldre',
      disabled: 'funksjonsnedsettelse',
      minor: 'mindreårig',
      incommunicado: 'holdt isolert',
      severeConditions: 'harde forhold',
    },
  },
  'uk-UA': {
    statuses: {
      missing: 'Зник(ла) безвісти',
      detained: 'Під вартою',
      charged: 'Висунуто обвинувачення',
      convicted: 'Засуджений(а)',
      deported: 'Депортований(а)',
      located: 'Місцеперебування встановлено',
      released: 'Звільнений(а)',
      exchanged: 'Обміняний(а)',
      returned: 'Повернутий(а) родині',
      'found-alive': 'Знайдений(а) живим(ою)',
      'found-dead': 'Знайдений(а) мертвим(ою)',
      deceased: 'Помер(ла)',
      unknown: 'Невідомо',
    },
    flags: {
      ill: 'хвороба',
      elderly: 'літній вік',
      disabled: 'інвалідність',
      minor: 'неповнолітній(я)',
      incommunicado: 'утримується без зв’язку',
      severeConditions: 'тяжкі умови',
    },
  },
  'ru-RU': {
    statuses: {
      missing: 'Пропал(а) без вести',
      detained: 'Под стражей',
      charged: 'Предъявлено обвинение',
      convicted: 'Осуждён(а)',
      deported: 'Депортирован(а)',
      located: 'Местонахождение установлено',
      released: 'Освобождён(а)',
      exchanged: 'Обменян(а)',
      returned: 'Возвращён(а) семье',
      'found-alive': 'Найден(а) живым(ой)',
      'found-dead': 'Найден(а) мёртвым(ой)',
      deceased: 'Умер(ла)',
      unknown: 'Неизвестно',
    },
    flags: {
      ill: 'болезнь',
      elderly: 'пожилой возраст',
      disabled: 'инвалидность',
      minor: 'несовершеннолетний(яя)',
      incommunicado: 'содержится без связи',
      severeConditions: 'тяжёлые условия',
    },
  },
}
