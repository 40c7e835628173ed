/** Pairing: type the device credential, or scan the pairing QR. */
import type { Screen } from '../checkpoint-controller.js';
import { h } from '../dom.js';
import type { ViewContext } from './view-context.js';
import { viewfinder } from './viewfinder.js';

export function pairingView(ui: ViewContext, screen: Extract<Screen, { name: 'pair' }>): HTMLElement[] {
  const { t, send } = ui;
  const busy = screen.busy === true;
  const input = h('input', {
    class: 'input',
    attrs: {
      id: 'credential',
      name: 'credential',
      type: 'text',
      autocomplete: 'off',
      autocapitalize: 'off',
      spellcheck: 'false',
      'aria-describedby': 'pair-error',
      'data-autofocus': !screen.scanning,
    },
    on: { input: () => send({ type: 'pairingDraftChanged', text: input.value }) },
  });
  input.value = ui.state.pairingDraft;
  input.disabled = busy;
  const form = h(
    'form',
    {
      class: 'screen',
      attrs: { id: 'pair-form', novalidate: true },
      on: {
        submit: (event) => {
          event.preventDefault();
          send({ type: 'pairSubmitted', text: input.value });
        },
      },
    },
    h('h2', {}, t('pairTitle')),
    h('p', {}, t('pairIntro')),
    h('label', { class: 'label', attrs: { for: 'credential' } }, t('pairCredentialLabel')),
    input,
    h(
      'p',
      { class: 'error', attrs: { id: 'pair-error', role: 'alert' } },
      screen.problem ? t(screen.problem) : busy ? t('pairChecking') : '',
    ),
    screen.scanning === true && viewfinder(ui, 'pairScanHint'),
  );
  const actions = h(
    'footer',
    { class: 'actions' },
    h(
      'button',
      {
        class: 'button secondary',
        attrs: { type: 'button', 'data-action': 'pair-scan', disabled: busy },
        on: { click: () => send({ type: 'pairScanToggled' }) },
      },
      screen.scanning ? t('back') : t('pairScan'),
    ),
    h(
      'button',
      {
        class: 'button primary',
        attrs: { type: 'submit', form: 'pair-form', 'data-action': 'pair', disabled: busy },
      },
      t('pairSubmit'),
    ),
  );
  return [h('main', { class: 'main' }, form), actions];
}
