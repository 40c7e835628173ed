/** A tiny element builder. Text always goes in as text nodes, never as HTML. */

type Child = Node | string | false | null | undefined;

export interface Props {
  readonly class?: string;
  readonly attrs?: Readonly<Record<string, string | boolean>>;
  readonly on?: {
    readonly click?: (event: MouseEvent) => void;
    readonly input?: (event: Event) => void;
    readonly change?: (event: Event) => void;
    readonly submit?: (event: SubmitEvent) => void;
  };
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (props.class) element.className = props.class;
  for (const [name, value] of Object.entries(props.attrs ?? {})) {
    if (value === true) element.setAttribute(name, '');
    else if (value !== false) element.setAttribute(name, value);
  }
  const on = props.on ?? {};
  const target: HTMLElement = element;
  if (on.click) target.addEventListener('click', on.click);
  if (on.input) target.addEventListener('input', on.input);
  if (on.change) target.addEventListener('change', on.change);
  if (on.submit) target.addEventListener('submit', on.submit);
  for (const child of children) {
    if (child === false || child === null || child === undefined) continue;
    element.append(child);
  }
  return element;
}
