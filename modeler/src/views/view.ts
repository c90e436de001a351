/** What the shell needs from a page: its element, and hooks when it is shown or hidden. */
export interface View {
  element: HTMLElement;
  /**
   * Each time the page becomes visible or its hash changes (reload lists, resize the canvas …).
   * `rest` is what follows the view's path in the hash: '123' for '#/instances/123', '?q=1' for
   * '#/instances?q=1', '' for '#/instances'.
   */
  show?(rest?: string): void;
  hide?(): void;
  /** On sign-out. */
  dispose?(): void;
}
