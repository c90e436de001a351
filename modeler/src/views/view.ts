/** What the shell needs from a page: its element, and hooks when it is shown or hidden. */
export interface View {
  element: HTMLElement;
  /** Each time the page becomes visible (reload lists, resize the canvas …); `rest` is what follows the page in the hash (#/tasks/123 → "123"). */
  show?(rest?: string): void;
  hide?(): void;
  /** On sign-out. */
  dispose?(): void;
}
