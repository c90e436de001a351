/** What the shell needs from a page: its element, and hooks when it is shown or hidden. */
export interface View {
  element: HTMLElement;
  /** Each time the page becomes visible (reload lists, resize the canvas …). */
  show?(): void;
  hide?(): void;
  /** On sign-out. */
  dispose?(): void;
}
