/** Manual entry: ID type, ID number and date of birth, as printed on the card. */
import { idTypes } from '../../../contract/vocabulary.js';
import type { Screen } from '../checkpoint-controller.js';
import { h } from '../dom.js';
import type { MessageKey } from '../i18n.js';
import type { ManualDraft } from '../manual-entry-check.js';
import type { ViewContext } from './view-context.js';

const idTypeLabels: Readonly<Record<ManualDraft['idType'], MessageKey>> = {
  CCCD: 'idTypeCCCD',
  CMND: 'idTypeCMND',
  PASSPORT: 'idTypePASSPORT',
};

type DatePart = 'day' | 'month' | 'year';

export function manualEntryView(ui: ViewContext, screen: Extract<Screen, { name: 'manual' }>): HTMLElement[] {
  const { t, send } = ui;
  let draft = ui.state.manualDraft;
  const change = (patch: Partial<ManualDraft>): void => {
    draft = { ...draft, ...patch };
    send({ type: 'manualDraftChanged', draft });
  };
  const number = h('input', {
    class: 'input',
    attrs: {
      id: 'idNumber',
      name: 'idNumber',
      type: 'text',
      autocomplete: 'off',
      autocapitalize: 'characters',
      spellcheck: 'false',
      'data-autofocus': true,
    },
    on: { input: () => change({ idNumber: number.value }) },
  });
  number.inputMode = draft.idType === 'PASSPORT' ? 'text' : 'numeric';
  number.value = draft.idNumber;
  const choices = idTypes.map((idType) => {
    const radio = h('input', {
      attrs: { type: 'radio', name: 'idType', value: idType, id: `idType-${idType}` },
      on: {
        change: () => {
          number.inputMode = idType === 'PASSPORT' ? 'text' : 'numeric';
          change({ idType });
        },
      },
    });
    radio.checked = draft.idType === idType;
    return h(
      'label',
      { class: 'choice', attrs: { for: `idType-${idType}` } },
      radio,
      h('span', {}, t(idTypeLabels[idType])),
    );
  });
  // Day, month and year apart, as printed on the ID card: a date picker's order follows the phone's
  // language, and 05/06 read the wrong way round is a wrong answer.
  const datePart = (part: DatePart, label: MessageKey, maxLength: number): HTMLElement => {
    const id = `dob-${part}`;
    const input = h('input', {
      class: 'input',
      attrs: {
        id,
        name: id,
        type: 'text',
        inputmode: 'numeric',
        autocomplete: 'off',
        maxlength: String(maxLength),
        placeholder: t(label),
      },
      on: { input: () => change({ [part]: input.value.replace(/\D/g, '') }) },
    });
    input.value = draft[part];
    return h('label', { class: 'date-part', attrs: { for: id } }, h('span', {}, t(label)), input);
  };
  const form = h(
    'form',
    {
      class: 'screen',
      attrs: { id: 'manual-form', novalidate: true, autocomplete: 'off' },
      on: {
        submit: (event) => {
          event.preventDefault();
          send({ type: 'manualSubmitted' });
        },
      },
    },
    h('h2', {}, t('manualTitle')),
    h('fieldset', { class: 'choices' }, h('legend', { class: 'label' }, t('idTypeLabel')), ...choices),
    h('label', { class: 'label', attrs: { for: 'idNumber' } }, t('idNumberLabel')),
    number,
    h(
      'fieldset',
      { class: 'date-parts' },
      h('legend', { class: 'label' }, t('dobLabel')),
      datePart('day', 'dobDay', 2),
      datePart('month', 'dobMonth', 2),
      datePart('year', 'dobYear', 4),
    ),
    h(
      'div',
      { class: 'error', attrs: { role: 'alert' } },
      ...screen.problems.map((key) => h('p', {}, t(key))),
    ),
  );
  const actions = h(
    'footer',
    { class: 'actions' },
    h(
      'button',
      {
        class: 'button secondary',
        attrs: { type: 'button', 'data-action': 'back' },
        on: { click: () => send({ type: 'manualCancelled' }) },
      },
      t('back'),
    ),
    h(
      'button',
      { class: 'button primary', attrs: { type: 'submit', form: 'manual-form', 'data-action': 'check' } },
      t('manualSubmit'),
    ),
  );
  return [h('main', { class: 'main' }, form), actions];
}
