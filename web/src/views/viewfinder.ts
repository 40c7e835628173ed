/** The camera picture with its frame and a hint that says what to do, or why the camera is not there. */
import type { State } from '../checkpoint-controller.js';
import { h } from '../dom.js';
import type { MessageKey } from '../i18n.js';
import type { ViewContext } from './view-context.js';

const cameraProblems: Readonly<Partial<Record<State['camera'], MessageKey>>> = {
  denied: 'cameraDenied',
  unavailable: 'cameraUnavailable',
  insecure: 'cameraInsecure',
  noDecoder: 'scannerUnavailable',
  starting: 'cameraStarting',
};

/** The hint for the camera's status on a screen whose own hint is `hint`. */
export const viewfinderHint = (camera: State['camera'], hint: MessageKey): MessageKey =>
  cameraProblems[camera] ?? hint;

export function viewfinder(ui: ViewContext, hint: MessageKey): HTMLElement {
  return h(
    'div',
    { class: 'viewfinder' },
    ui.video,
    h('div', { class: 'viewfinder-frame', attrs: { 'aria-hidden': 'true' } }),
    h(
      'p',
      {
        class: 'viewfinder-hint',
        attrs: { role: 'status', 'data-camera': ui.state.camera, 'data-hint': hint },
      },
      ui.t(viewfinderHint(ui.state.camera, hint)),
    ),
  );
}
