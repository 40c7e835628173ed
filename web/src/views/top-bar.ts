/** The bar on every screen: title, offline pill, Unpair (idle scan screen only), and the language button. */
import { h } from '../dom.js';
import type { ViewContext } from './view-context.js';

export function topBar(ui: ViewContext): HTMLElement {
  const { state, t } = ui;
  // Unpairing is offered only on the idle scan screen, never next to an answer.
  const canUnpair = state.credential !== null && state.screen.name === 'scan';
  const pill = h('span', { class: 'offline-pill', attrs: { role: 'status' } }, t('offlineIndicator'));
  pill.hidden = !state.offline;
  return h(
    'header',
    { class: 'topbar' },
    h('h1', { class: 'title' }, t('appTitle')),
    pill,
    h(
      'div',
      { class: 'topbar-actions' },
      canUnpair &&
        h(
          'button',
          {
            class: 'button small',
            attrs: { type: 'button', 'data-action': 'unpair' },
            on: {
              click: () => {
                if (window.confirm(t('unpairConfirm'))) ui.send({ type: 'unpairConfirmed' });
              },
            },
          },
          t('unpair'),
        ),
      // Named by its visible text, in the language it names ("English", lang=en), so a voice-control
      // user can say what they see.
      h(
        'button',
        {
          class: 'button small',
          attrs: { type: 'button', lang: state.language === 'vi' ? 'en' : 'vi', 'data-action': 'language' },
          on: { click: () => ui.send({ type: 'languageToggled' }) },
        },
        t('switchLanguage'),
      ),
    ),
  );
}
