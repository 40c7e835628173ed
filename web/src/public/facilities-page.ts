import type { Clock } from '../../../contract/clock.js';
/**
 * Renders the public page: facilities grouped by province, a search box, and the checkpoint rules in
 * force. A new list or language renders the page again; typing in the search box only shows and hides
 * what is there (so the box keeps its focus). Filtered-out entries are hidden on screen only: a
 * printout, which has no search box, always lists every facility.
 */
import type { RulesDocumentClaims } from '../../../contract/rules-document.js';
import { h } from '../dom.js';
import { formatVietnamTime } from '../format.js';
import {
  freshnessOf,
  groupByProvince,
  matchesSearch,
  type PublicFacility,
  type PublicFacilityList,
} from './facility-list.js';
import { codeKey, type Language, type MessageKey, translate } from './i18n.js';
import {
  type AppliedRule,
  jurisdictionName,
  type ModeRules,
  type ProvinceEntry,
  summarizeRules,
} from './rules-summary.js';

export interface PageData {
  /** undefined: the list could not be loaded. */
  readonly list: PublicFacilityList | undefined;
  /** undefined: no rules document whose signature checks. */
  readonly rules: RulesDocumentClaims | undefined;
}

export interface PageOptions {
  readonly language: Language;
  readonly staleLabHours: number;
  readonly clock: Clock;
  readonly saveLanguage: (language: Language) => void;
  /** The official province list (names for jurisdiction codes); empty shows the codes. */
  readonly provinces: readonly ProvinceEntry[];
}

export interface FacilitiesPage {
  show(data: PageData): void;
}

export function startFacilitiesPage(root: HTMLElement, options: PageOptions): FacilitiesPage {
  let language = options.language;
  let data: PageData | undefined;
  let query = '';
  const closed = new Set<string>();
  const t = (key: MessageKey, values?: Readonly<Record<string, string | number>>) =>
    translate(language, key, values);
  const coded = (prefix: 'status' | 'test' | 'mode', code: string): string => {
    const key = codeKey(prefix, code);
    return key === undefined ? code : t(key);
  };
  const time = (instant: string): string => formatVietnamTime(new Date(instant));

  const field = (name: string, label: string, ...value: (Node | string)[]) =>
    h('div', { class: 'field', attrs: { 'data-field': name } }, h('dt', {}, label), h('dd', {}, ...value));

  const facilityItem = (facility: PublicFacility, now: Date) => {
    const freshness = freshnessOf(facility, now, options.staleLabHours);
    return h(
      'li',
      {
        class: 'facility',
        attrs: {
          'data-facility': facility.id,
          'data-status': facility.status,
          'data-freshness': freshness ?? 'NOT_JUDGED',
        },
      },
      h('h4', { class: 'facility-name' }, facility.name),
      h(
        'dl',
        {},
        field(
          'status',
          t('status'),
          h('span', { class: `status status-${facility.status}` }, coded('status', facility.status)),
        ),
        field('test-types', t('testTypes'), facility.testTypes.map((type) => coded('test', type)).join(', ')),
        field(
          'integrated-since',
          t('integratedSince'),
          facility.integratedSince === null ? t('never') : time(facility.integratedSince),
        ),
        field(
          'last-result',
          t('lastResultAt'),
          facility.lastResultAt === null ? t('never') : time(facility.lastResultAt),
        ),
      ),
      freshness === 'STALE' &&
        h(
          'p',
          { class: 'stale-badge', attrs: { 'data-field': 'stale' } },
          t('stale', { hours: options.staleLabHours }),
        ),
    );
  };

  const facilitiesSection = (list: PublicFacilityList) => {
    const now = options.clock.now();
    const groups = groupByProvince(list.facilities);
    const input = h('input', {
      attrs: {
        id: 'search',
        type: 'search',
        autocomplete: 'off',
        'aria-describedby': 'search-hint',
        value: query,
      },
    });
    input.value = query;
    const count = h('p', { class: 'search-count', attrs: { id: 'search-count', role: 'status' } });
    const noMatch = h('p', { class: 'no-match', attrs: { hidden: true } }, t('noMatch'));
    const groupElements = groups.map((group) => {
      const details = h(
        'details',
        { class: 'province', attrs: { 'data-province': group.province, open: !closed.has(group.province) } },
        h(
          'summary',
          {},
          h(
            'h3',
            {},
            group.province === '' ? t('noProvince') : group.province,
            ' ',
            h('span', { class: 'group-count' }, `(${t('groupCount', { count: group.facilities.length })})`),
          ),
        ),
        h(
          'ul',
          { class: 'facility-list' },
          ...group.facilities.map((facility) => facilityItem(facility, now)),
        ),
      );
      details.addEventListener('toggle', () => {
        if (details.open) closed.delete(group.province);
        else closed.add(group.province);
      });
      return { group, details };
    });

    const applySearch = () => {
      let found = 0;
      for (const { group, details } of groupElements) {
        let inGroup = 0;
        for (const item of Array.from(details.querySelectorAll<HTMLElement>('li.facility'))) {
          const facility = group.facilities.find((entry) => entry.id === item.dataset.facility);
          const match = facility !== undefined && matchesSearch(facility, query);
          item.classList.toggle('filtered-out', !match);
          if (match) inGroup += 1;
        }
        details.classList.toggle('filtered-out', inGroup === 0);
        if (query.trim() !== '' && inGroup > 0) details.open = true;
        found += inGroup;
      }
      const total = list.facilities.length;
      count.textContent =
        query.trim() === '' ? t('totalCount', { total }) : t('searchCount', { count: found, total });
      noMatch.hidden = total === 0 || found > 0;
    };
    input.addEventListener('input', () => {
      query = input.value;
      applySearch();
    });
    applySearch();

    return h(
      'section',
      { class: 'facilities', attrs: { 'aria-labelledby': 'facilities-title' } },
      h('h2', { attrs: { id: 'facilities-title' } }, t('facilitiesTitle')),
      h(
        'p',
        { class: 'updated', attrs: { 'data-field': 'updated' } },
        t('updatedAt', { time: time(list.updatedAt) }),
      ),
      h(
        'div',
        { class: 'search', attrs: { role: 'search' } },
        h('label', { attrs: { for: 'search' } }, t('searchLabel')),
        input,
        h('p', { class: 'hint', attrs: { id: 'search-hint' } }, t('searchHint')),
      ),
      count,
      noMatch,
      list.facilities.length === 0 && h('p', { class: 'empty' }, t('noFacilities')),
      ...groupElements.map(({ details }) => details),
    );
  };

  /** `from`: when a scheduled change takes effect (a rule's start, or the end of the one before). */
  const ruleBlock = ({ rule, fallback }: AppliedRule, kind: 'in-force' | 'scheduled', from?: string) =>
    h(
      'div',
      {
        class: `rule rule-${kind}`,
        attrs: { 'data-rule': kind, 'data-rule-id': rule.id, 'data-fallback': fallback ? 'country' : 'own' },
      },
      h(
        'p',
        { class: 'rule-when' },
        h(
          'strong',
          {},
          kind === 'in-force' ? t('ruleInForce') : t('ruleScheduled', { time: time(from ?? rule.validFrom) }),
        ),
        rule.validTo !== undefined && ` ${t('ruleUntil', { time: time(rule.validTo) })}`,
      ),
      fallback && h('p', { class: 'rule-fallback', attrs: { 'data-field': 'fallback' } }, t('ruleFallback')),
      h(
        'p',
        { class: 'rule-description', attrs: { 'data-field': 'description' } },
        rule.description[language],
      ),
      h(
        'dl',
        {},
        field(
          'accepts',
          t('ruleAccepts'),
          h(
            'ul',
            { class: 'accepts' },
            ...rule.accept.map((entry) =>
              h('li', {}, t('ruleAccept', { testType: coded('test', entry.testType), hours: entry.hours })),
            ),
          ),
        ),
        field(
          'legal-basis',
          t('ruleLegalBasis'),
          `${rule.legalBasis} (${t('ruleName', { id: rule.id, version: rule.version })})`,
        ),
      ),
    );

  const modeBlock = (entry: ModeRules) =>
    h(
      'section',
      { class: 'mode', attrs: { 'data-mode': entry.mode } },
      h(
        'h4',
        {},
        `${t('mode')}: ${coded('mode', entry.mode)}${codeKey('mode', entry.mode) ? ` (${entry.mode})` : ''}`,
      ),
      entry.inForce === undefined
        ? h('p', { class: 'rule-none' }, t('ruleNoneInForce'))
        : ruleBlock(entry.inForce, 'in-force'),
      ...entry.scheduled.map((change) =>
        change.applied === undefined
          ? h('p', { class: 'rule-none' }, t('ruleNoneFrom', { time: time(change.from) }))
          : ruleBlock(change.applied, 'scheduled', change.from),
      ),
    );

  const rulesSection = (rules: RulesDocumentClaims | undefined) => {
    const summary = rules === undefined ? [] : summarizeRules(rules.ruleSets, options.clock.now());
    return h(
      'section',
      {
        class: 'rules',
        attrs: {
          'aria-labelledby': 'rules-title',
          'data-rules': rules === undefined ? 'unverified' : 'verified',
        },
      },
      h('h2', { attrs: { id: 'rules-title' } }, t('rulesTitle')),
      h('p', {}, t('rulesIntro')),
      h(
        'p',
        { class: rules === undefined ? 'notice' : 'verified', attrs: { 'data-field': 'rules-signature' } },
        rules === undefined ? t('rulesUnverified') : t('rulesVerified'),
      ),
      rules !== undefined && summary.length === 0 && h('p', {}, t('rulesNone')),
      ...summary.map((jurisdiction) =>
        h(
          'article',
          { class: 'jurisdiction', attrs: { 'data-jurisdiction': jurisdiction.jurisdiction } },
          h(
            'h3',
            {},
            jurisdiction.jurisdiction === 'VN'
              ? `${t('wholeCountry')} (VN)`
              : jurisdictionName(jurisdiction.jurisdiction, options.provinces),
          ),
          ...jurisdiction.modes.map(modeBlock),
        ),
      ),
    );
  };

  const render = () => {
    document.documentElement.lang = language;
    document.title = `ResultGate · ${t('pageTitle')}`;
    const other: Language = language === 'vi' ? 'en' : 'vi';
    const main = h(
      'main',
      { attrs: { id: 'main' } },
      h('h1', {}, t('pageTitle')),
      h('p', { class: 'intro' }, t('intro')),
      data === undefined && h('p', { class: 'loading', attrs: { role: 'status' } }, t('loading')),
      data !== undefined &&
        (data.list === undefined
          ? h(
              'p',
              { class: 'notice', attrs: { role: 'alert', 'data-field': 'load-failed' } },
              t('loadFailed'),
            )
          : facilitiesSection(data.list)),
      data !== undefined && rulesSection(data.rules),
      h('p', { class: 'footer' }, t('footer')),
    );
    const header = h(
      'header',
      { class: 'topbar' },
      h('p', { class: 'brand' }, 'ResultGate'),
      h(
        'button',
        {
          class: 'language',
          attrs: {
            type: 'button',
            lang: other,
            'data-action': 'language',
          },
          on: {
            click: () => {
              language = other;
              options.saveLanguage(language);
              render();
            },
          },
        },
        t('switchLanguage'),
      ),
    );
    root.replaceChildren(header, main);
  };

  // Printing opens every group (a closed <details> would print only its summary).
  window.addEventListener('beforeprint', () => {
    for (const details of Array.from(root.querySelectorAll('details'))) details.open = true;
  });

  render();
  return {
    show(next) {
      data = next;
      const focused = document.activeElement?.id === 'search';
      render();
      if (focused) document.getElementById('search')?.focus();
    },
  };
}
