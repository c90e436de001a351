/**
 * Drafts on the server (never lost by a reload): the diagram being drawn is saved a few seconds after
 * each change — created as a draft on its first change, then saved over the version it read (409
 * tells that another tab saved it meanwhile). The draft being edited is remembered in this browser,
 * so a reload opens it again; the draft list opens or deletes any of one's drafts.
 */
import { ApiError } from '../../api/client.js';
import { createDraft, deleteDraft, getDraft, listDrafts, saveDraft, type Draft, type DraftSummary } from '../../api/modeler.js';
import { h, replace } from '../../dom.js';
import { dateTime as formatDateTime } from '../../format.js';
import { messages } from '../../text.js';
import { errorText } from '../notice.js';
import { confirmDialog } from '../../confirm.js';

export const dx = messages({
  drafts: ['草稿', 'Drafts'],
  draftsTitle: ['我的草稿', 'My drafts'],
  noDrafts: ['还没有草稿：修改流程图后会自动保存为草稿', 'No drafts yet: a diagram is saved as a draft when you change it'],
  open: ['打开', 'Open'],
  delete: ['删除', 'Delete'],
  close: ['关闭', 'Close'],
  deleteQuestion: ['删除草稿“{0}”？此操作无法撤销。', 'Delete the draft "{0}"? This cannot be undone.'],
  colName: ['名称', 'Name'],
  colUpdated: ['保存时间', 'Saved'],
  colOwner: ['创建人', 'Owner'],
  saved: ['草稿已保存 {0}', 'Draft saved {0}'],
  saving: ['正在保存草稿…', 'Saving the draft…'],
  unsaved: ['有未保存的更改', 'Unsaved changes'],
  saveFailed: ['草稿保存失败：{0}', 'The draft could not be saved: {0}'],
  conflict: ['草稿已在其他窗口保存，本窗口的更改未保存；请从草稿列表重新打开', 'The draft was saved in another window; this window’s changes were not saved. Open it again from the list'],
  loading: ['加载中…', 'Loading…'],
  loadFailed: ['无法加载草稿：{0}', 'Cannot load the drafts: {0}'],
});

const REMEMBER_KEY = 'modeler.draft';
export const AUTOSAVE_MS = 2500;

export interface DraftContent {
  name: string;
  xml: string;
  forms: Record<string, unknown>;
}

/** Keeps the current diagram saved as a draft. */
export class DraftKeeper {
  id: string | undefined;
  version = 0;
  dirty = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<void> | undefined;
  private conflict = false;
  readonly status = h('span', { class: 'draft-status', id: 'draft-status', role: 'status', 'aria-live': 'polite' });

  constructor(private readonly content: () => Promise<DraftContent>) {}

  /** The diagram changed: save a little later. */
  changed(): void {
    this.dirty = true;
    if (!this.conflict) this.status.textContent = dx('unsaved');
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.save(), AUTOSAVE_MS);
  }

  /** Another diagram is open now: `draft` when it is a draft, else a new one starts at its first change. */
  reset(draft?: { id: string; version: number; updatedAt?: string }): void {
    clearTimeout(this.timer);
    this.dirty = false;
    this.conflict = false;
    this.id = draft?.id;
    this.version = draft?.version ?? 0;
    this.status.textContent = draft?.updatedAt ? dx('saved', formatDateTime(draft.updatedAt)) : '';
    if (draft) localStorage.setItem(REMEMBER_KEY, draft.id);
    else localStorage.removeItem(REMEMBER_KEY);
  }

  /** Saves now (waits for a save under way first). */
  async save(): Promise<void> {
    clearTimeout(this.timer);
    while (this.running) await this.running;
    if (!this.dirty || this.conflict) return;
    this.running = this.doSave().finally(() => {
      this.running = undefined;
    });
    await this.running;
  }

  private async doSave(): Promise<void> {
    this.dirty = false;
    this.status.textContent = dx('saving');
    try {
      const body = await this.content();
      if (!this.id) {
        const created = await createDraft(body);
        this.id = created.id;
        this.version = created.version;
        localStorage.setItem(REMEMBER_KEY, created.id);
        this.status.textContent = dx('saved', formatDateTime(created.updatedAt));
      } else {
        const saved = await saveDraft(this.id, { ...body, version: this.version });
        this.version = saved.version;
        this.status.textContent = dx('saved', formatDateTime(saved.updatedAt));
      }
    } catch (err) {
      this.dirty = true;
      if (err instanceof ApiError && err.status === 409) {
        this.conflict = true;
        this.status.textContent = dx('conflict');
      } else {
        this.status.textContent = dx('saveFailed', errorText(err));
      }
    }
  }

  /** The draft this browser edited last, if it still exists. */
  static async remembered(): Promise<Draft | undefined> {
    const id = localStorage.getItem(REMEMBER_KEY);
    if (!id) return undefined;
    try {
      return await getDraft(id);
    } catch {
      localStorage.removeItem(REMEMBER_KEY);
      return undefined;
    }
  }
}

/** The draft list in a dialog: open one (resolves with it) or delete some. */
export function showDraftList(onOpen: (draft: Draft) => void, currentId: () => string | undefined, onDeleted: (id: string) => void): void {
  const body = h('div', { class: 'draft-list-body' }, h('p', {}, dx('loading')));
  const close = h('button', { type: 'button', id: 'close-drafts' }, dx('close'));
  const dialog = h('dialog', { class: 'draft-dialog', id: 'draft-dialog', 'aria-labelledby': 'draft-dialog-title' }, h('h3', { id: 'draft-dialog-title' }, dx('draftsTitle')), body, h('div', { class: 'dialog-actions' }, close));
  const finish = () => {
    dialog.close();
    dialog.remove();
  };
  close.addEventListener('click', finish);
  dialog.addEventListener('cancel', (e) => {
    e.preventDefault();
    finish();
  });
  document.body.append(dialog);
  dialog.showModal();

  const render = (items: DraftSummary[]) => {
    if (items.length === 0) {
      replace(body, h('p', { class: 'empty' }, dx('noDrafts')));
      return;
    }
    replace(
      body,
      h(
        'ul',
        { class: 'draft-list', id: 'draft-list' },
        ...items.map((d) =>
          h(
            'li',
            { dataset: { draftId: d.id }, class: d.id === currentId() ? 'current' : '' },
            h('span', { class: 'draft-name' }, d.name),
            h('span', { class: 'draft-meta' }, `${formatDateTime(d.updatedAt)} · ${d.owner}`),
            h(
              'span',
              { class: 'draft-actions' },
              h(
                'button',
                {
                  type: 'button',
                  onclick: () => {
                    void getDraft(d.id)
                      .then((full) => {
                        finish();
                        onOpen(full);
                      })
                      .catch((err: unknown) => replace(body, h('p', { role: 'alert' }, dx('loadFailed', errorText(err)))));
                  },
                },
                dx('open'),
              ),
              h(
                'button',
                {
                  type: 'button',
                  class: 'danger',
                  onclick: () => {
                    void confirmDialog(dx('deleteQuestion', d.name), { confirmLabel: dx('delete'), danger: true }).then(async (yes) => {
                      if (!yes) return;
                      try {
                        await deleteDraft(d.id);
                        onDeleted(d.id);
                        await load();
                      } catch (err) {
                        replace(body, h('p', { role: 'alert' }, dx('loadFailed', errorText(err))));
                      }
                    });
                  },
                },
                dx('delete'),
              ),
            ),
          ),
        ),
      ),
    );
  };
  const load = () =>
    listDrafts()
      .then((r) => render(r.items))
      .catch((err: unknown) => replace(body, h('p', { role: 'alert' }, dx('loadFailed', errorText(err)))));
  void load();
}
