/** What every view gets: the state to show, the words, a way to report what the officer does, the camera. */
import type { Event, State } from '../checkpoint-controller.js';
import type { MessageKey } from '../i18n.js';

export interface ViewContext {
  readonly state: State;
  t(key: MessageKey, params?: Readonly<Record<string, string | number>>): string;
  send(event: Event): void;
  /** The one camera video element, moved into whichever screen shows the camera. */
  readonly video: HTMLVideoElement;
}
