/** The answer: VALID / NOT VALID / CANNOT CHECK filling the screen, online or from the offline check. */
import type { Answer } from '../checkpoint-controller.js';
import { h } from '../dom.js';
import { formatVietnamTime, timeLeft } from '../format.js';
import type { MessageKey } from '../i18n.js';
import type { TestType } from '../jws.js';
import type { ViewContext } from './view-context.js';

export type VerdictTone = 'valid' | 'invalid' | 'unknown';

export function verdictTone(answer: Answer): VerdictTone {
  const verdict = answer.source === 'online' ? answer.answer.verdict : answer.verdict.verdict;
  return verdict === 'VALID'
    ? 'valid'
    : verdict === 'UNKNOWN_KEY' || verdict === 'CANNOT_CHECK'
      ? 'unknown'
      : 'invalid';
}

/** While the API answers. */
export function checkingView(ui: ViewContext): HTMLElement[] {
  return [
    h(
      'main',
      { class: 'screen centered' },
      h('p', { class: 'big-status', attrs: { role: 'status' } }, ui.t('checking')),
    ),
  ];
}

export function answerView(ui: ViewContext, answer: Answer, now: Date): HTMLElement[] {
  const { t, send } = ui;
  const tone = verdictTone(answer);
  const headline: MessageKey = tone === 'valid' ? 'valid' : tone === 'invalid' ? 'notValid' : 'cannotCheck';
  const main = h(
    'main',
    { class: 'screen verdict', attrs: { 'data-verdict': tone, 'data-source': answer.source } },
    // The live region is inside the landmark: a <main> may not take role=status.
    h(
      'div',
      { class: 'verdict-body', attrs: { role: 'status' } },
      answer.source === 'offline' && h('p', { class: 'badge' }, t('offlineBadge')),
      h('p', { class: 'verdict-word', attrs: { tabindex: '-1', 'data-autofocus': true } }, t(headline)),
      ...answerDetails(ui, answer, now),
      ...ruleLine(ui, answer),
      answer.source === 'offline' && h('p', { class: 'note' }, t('offlineNote')),
    ),
  );
  const actions = h(
    'footer',
    { class: 'actions' },
    h(
      'button',
      {
        class: 'button primary',
        attrs: { type: 'button', 'data-action': 'next' },
        on: { click: () => send({ type: 'nextScanChosen' }) },
      },
      t('nextScan'),
    ),
  );
  return [main, actions];
}

/** The rule that decided the answer (id, version, legal basis), on every answer that names one. */
function ruleLine(ui: ViewContext, answer: Answer): HTMLElement[] {
  const rule =
    answer.source === 'online'
      ? answer.answer.rule
      : 'rule' in answer.verdict
        ? answer.verdict.rule
        : undefined;
  if (rule === undefined) return [];
  return [
    h(
      'p',
      { class: 'rule' },
      h('span', {}, `${ui.t('ruleLabel')}: `),
      h(
        'span',
        { attrs: { 'data-field': 'rule' } },
        ui.t('ruleValue', { id: rule.id, version: rule.version, legalBasis: rule.legalBasis }),
      ),
    ),
  ];
}

function answerDetails(ui: ViewContext, answer: Answer, now: Date): HTMLElement[] {
  const reason = (key: MessageKey): HTMLElement[] => [h('p', { class: 'reason' }, ui.t(key))];
  if (answer.source === 'online') {
    const value = answer.answer;
    if (value.verdict === 'NOT_VALID') return reason(`reason${value.reason}`);
    return validDetails(ui, value, now);
  }
  const verdict = answer.verdict;
  switch (verdict.verdict) {
    case 'VALID':
      // validUntil from the rule in force at the scan, not the snapshot's (the issuing rule's verdict).
      return validDetails(
        ui,
        { ...verdict.snapshot, validUntil: verdict.validUntil, facilityName: undefined },
        now,
      );
    case 'UNKNOWN_KEY':
      return reason('offlineNoKeys');
    case 'CANNOT_CHECK':
      return reason(`cannot${verdict.reason}`);
    case 'NOT_VALID': {
      const reasons: Record<typeof verdict.reason, MessageKey> = {
        PASS_INVALID: 'reasonPASS_INVALID',
        NO_SNAPSHOT: 'offlineNoSnapshot',
        NO_VALID_RESULT: 'reasonNO_VALID_RESULT',
        REVOKED: 'offlineRevoked',
      };
      return reason(reasons[verdict.reason]);
    }
  }
}

interface ValidHolder {
  readonly validUntil: string;
  readonly testType: TestType;
  readonly maskedName: string;
  readonly birthYear: number;
  readonly facilityName: string | undefined;
}

function validDetails(ui: ViewContext, holder: ValidHolder, now: Date): HTMLElement[] {
  const { t } = ui;
  const until = new Date(holder.validUntil);
  const row = (label: MessageKey, ...value: (string | HTMLElement)[]): HTMLElement[] => [
    h('dt', {}, t(label)),
    h('dd', {}, ...value),
  ];
  return [
    h(
      'dl',
      { class: 'details' },
      ...row(
        'validUntil',
        h('span', { class: 'strong', attrs: { 'data-field': 'validUntil' } }, formatVietnamTime(until)),
        h('span', { class: 'sub' }, `${t('timeZoneNote')} · ${t('remaining', timeLeft(until, now))}`),
      ),
      ...row('testType', h('span', { attrs: { 'data-field': 'testType' } }, t(`test${holder.testType}`))),
      ...row(
        'holderName',
        h('span', { class: 'strong', attrs: { 'data-field': 'maskedName' } }, holder.maskedName),
      ),
      ...row(
        'birthYear',
        h('span', { class: 'strong', attrs: { 'data-field': 'birthYear' } }, String(holder.birthYear)),
      ),
      ...(holder.facilityName
        ? row('facility', h('span', { attrs: { 'data-field': 'facility' } }, holder.facilityName))
        : []),
    ),
    h('p', { class: 'note' }, t('compareId')),
  ];
}
