/** A message that fills the screen (an error in the officer's words), with the one way forward. */
import type { Screen } from '../checkpoint-controller.js';
import { h } from '../dom.js';
import type { ViewContext } from './view-context.js';

export function messageView(ui: ViewContext, screen: Extract<Screen, { name: 'message' }>): HTMLElement[] {
  const { t, send } = ui;
  const main = h(
    'main',
    { class: 'screen centered' },
    h(
      'p',
      {
        class: 'big-status',
        attrs: { role: 'alert', tabindex: '-1', 'data-autofocus': true, 'data-message': screen.message.key },
      },
      t(screen.message.key, screen.message.params),
    ),
  );
  const button =
    screen.action === 'rePair'
      ? h(
          'button',
          {
            class: 'button primary',
            attrs: { type: 'button', 'data-action': 're-pair' },
            on: { click: () => send({ type: 'rePairChosen' }) },
          },
          t('rePair'),
        )
      : h(
          'button',
          {
            class: 'button primary',
            attrs: { type: 'button', 'data-action': 'close' },
            on: { click: () => send({ type: 'closeChosen' }) },
          },
          t('close'),
        );
  return [main, h('footer', { class: 'actions' }, button)];
}
