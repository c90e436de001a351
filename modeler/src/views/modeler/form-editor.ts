/**
 * 表单编辑器 / Form editor: the form-js editor (loaded only when opened) in a dialog, to create a
 * form or change one kept with the diagram; 保存 puts it into the diagram's forms (saved with the
 * draft, deployed with the diagram as <form id>.form). A user task links it by its id (表单 group of
 * the properties panel: 表单 (Camunda Form), 表单 ID).
 */
import { h, replace } from '../../dom.js';
import { messages } from '../../text.js';
import { errorText } from '../notice.js';
import { translateFormEditor } from './form-editor-zh.js';

const tx = messages({
  button: ['表单编辑器', 'Form editor'],
  title: ['表单编辑器', 'Form editor'],
  which: ['表单', 'Form'],
  newForm: ['（新建表单）', '(new form)'],
  formId: ['表单 ID', 'Form ID'],
  formIdHelp: ['字母开头，可含字母、数字、-、_、.；用户任务的“表单 ID”填写此值', 'Starts with a letter; letters, digits, - _ .; a user task’s “Form ID” names it'],
  badId: ['表单 ID 格式不正确', 'The form ID is not valid'],
  save: ['保存到流程图', 'Save with the diagram'],
  cancel: ['取消', 'Cancel'],
  loading: ['加载中…', 'Loading…'],
  failed: ['表单编辑器出错：{0}', 'The form editor failed: {0}'],
});

interface UmdEditor {
  FormEditor?: new (options: { container: HTMLElement }) => unknown;
  default?: { FormEditor?: new (options: { container: HTMLElement }) => unknown };
}

export const formEditorLabel = () => tx('button');

const FORM_ID = /^[A-Za-z][\w.-]{0,99}$/;

interface FormSchema {
  id?: string;
  type?: string;
  components?: unknown[];
  [key: string]: unknown;
}

function blank(id: string): FormSchema {
  return { id, type: 'default', components: [], schemaVersion: 16 };
}

/** Opens the editor; `onSave(fileName, schema)` keeps a saved form. */
export function showFormEditor(forms: Record<string, unknown>, onSave: (fileName: string, schema: FormSchema) => void): void {
  const names = Object.keys(forms);
  const choose = h('select', { id: 'form-editor-which' }, h('option', { value: '' }, tx('newForm')), ...names.map((n) => h('option', { value: n }, n)));
  const idInput = h('input', { id: 'form-editor-id', type: 'text', maxlength: 100, 'aria-describedby': 'form-editor-id-help', value: 'form-1' });
  const error = h('p', { class: 'field-error', role: 'alert' });
  const host = h('div', { class: 'form-editor-host', id: 'form-editor-host' }, h('p', {}, tx('loading')));
  const save = h('button', { type: 'button', class: 'primary', id: 'form-editor-save' }, tx('save'));
  const cancel = h('button', { type: 'button' }, tx('cancel'));
  const dialog = h(
    'dialog',
    { class: 'draft-dialog form-editor-dialog', id: 'form-editor-dialog', 'aria-labelledby': 'form-editor-title' },
    h('h3', { id: 'form-editor-title' }, tx('title')),
    h(
      'div',
      { class: 'form-editor-head' },
      h('label', { for: choose.id }, tx('which')),
      choose,
      h('label', { for: idInput.id }, tx('formId')),
      idInput,
      h('span', { class: 'muted', id: 'form-editor-id-help' }, tx('formIdHelp')),
    ),
    error,
    host,
    h('div', { class: 'dialog-actions' }, cancel, save),
  );
  let editor: { importSchema(s: unknown): Promise<unknown>; saveSchema(): FormSchema; destroy(): void } | undefined;
  let stopTranslating = () => undefined as void;
  let closed = false;
  const finish = () => {
    closed = true;
    stopTranslating();
    editor?.destroy();
    dialog.close();
    dialog.remove();
  };
  cancel.addEventListener('click', finish);
  dialog.addEventListener('cancel', (e) => {
    e.preventDefault();
    finish();
  });
  document.body.append(dialog);
  dialog.showModal();

  const current = (): FormSchema => {
    const name = choose.value;
    if (name && forms[name] && typeof forms[name] === 'object') return forms[name] as FormSchema;
    return blank(idInput.value.trim() || 'form-1');
  };

  /** Loads run one after another: a form chosen while the editor's code is still arriving waits for it. */
  let loading: Promise<void> = Promise.resolve();
  const load = () => {
    loading = loading.then(loadNow);
    return loading;
  };

  async function loadNow(): Promise<void> {
    if (closed) return;
    try {
      if (!editor) {
        // The self-contained build: the ES build of form-js-editor and the properties panel of the
        // modeler would each bring their own copy of preact, and hooks of one break in the other.
        const [mod] = await Promise.all([
          import('../../../../node_modules/@bpmn-io/form-js/dist/form-editor.umd.js') as Promise<UmdEditor>,
          import('@bpmn-io/form-js/dist/assets/form-js-editor.css'),
          import('@bpmn-io/form-js/dist/assets/form-js.css'),
        ]);
        const FormEditor = mod.FormEditor ?? mod.default?.FormEditor;
        if (!FormEditor) throw new Error('form-js editor not found in its bundle');
        if (closed) return;
        replace(host);
        // Chinese palette and properties panel (form-js has no translation service of its own).
        stopTranslating = translateFormEditor(host);
        editor = new FormEditor({ container: host }) as unknown as typeof editor;
      }
      // The choice as it is now (it may have changed while the editor was loading).
      const schema = current();
      if (choose.value) idInput.value = schema.id ?? '';
      idInput.disabled = Boolean(choose.value);
      await editor!.importSchema(schema);
    } catch (err) {
      replace(host, h('p', { role: 'alert' }, tx('failed', errorText(err))));
    }
  }
  choose.addEventListener('change', () => void load());

  save.addEventListener('click', () => {
    if (!editor) return;
    const id = idInput.value.trim();
    if (!FORM_ID.test(id)) {
      error.textContent = tx('badId');
      idInput.setAttribute('aria-invalid', 'true');
      idInput.focus();
      return;
    }
    const schema = { ...editor.saveSchema(), id };
    onSave(choose.value || `${id}.form`, schema);
    finish();
  });
  void load();
}
