/**
 * The form-js editor in Chinese. form-js (1.x) has no translation service: its palette groups and
 * entries and its properties panel's labels are fixed English strings (bpmn-io/form-js issue #77,
 * still open). So, while the user's language is Chinese, a MutationObserver watches the editor's
 * palette and properties panel and replaces, text node by text node (and the title / placeholder /
 * aria-label attributes), the English texts it knows by their Chinese. Preact only writes a text
 * node again when its own value changes, and then the observer translates the new value.
 *
 * What the designer typed is never touched: the form canvas (.fjs-form, the form as it will look),
 * inputs and text areas, the FEEL editors, and the panel's header and list item titles, which show
 * the field's own label and its options' labels. The palette's search still matches the English
 * names (form-js filters on its own labels).
 */
import { language } from '../../text.js';

const ZH: Record<string, string> = {
  // palette
  Components: '组件',
  'Search components': '搜索组件',
  'No components found.': '没有找到组件。',
  Input: '输入',
  Selection: '选择',
  Presentation: '展示',
  Containers: '容器',
  Action: '操作',
  'Text field': '文本框',
  'Text area': '多行文本',
  Number: '数字',
  Datetime: '日期时间',
  'Date time': '日期时间',
  'Expression field': '表达式字段',
  'File picker': '文件选择',
  Checkbox: '复选框',
  'Checkbox group': '复选框组',
  'Radio group': '单选组',
  Select: '下拉选择',
  'Tag list': '标签列表',
  'Text view': '文本视图',
  'HTML view': 'HTML 视图',
  'Image view': '图片',
  Table: '表格',
  'Document preview': '文档预览',
  Spacer: '间隔',
  Separator: '分隔线',
  Group: '分组',
  'Dynamic list': '动态列表',
  iFrame: '内嵌页面 (iFrame)',
  Button: '按钮',
  'Drag and drop components here to start designing.': '把组件拖到这里开始设计。',
  'Drag and drop components here.': '把组件拖到这里。',
  'Use the preview window to test your form.': '用预览窗口试用表单。',
  // properties panel: groups
  General: '常规',
  Condition: '条件',
  Layout: '布局',
  Appearance: '外观',
  Validation: '校验',
  Constraints: '约束',
  Serialization: '序列化',
  'Options source': '选项来源',
  'Static options': '静态选项',
  'Dynamic options': '动态选项',
  'Input values': '输入值',
  'Custom properties': '自定义属性',
  'Options expression': '选项表达式',
  'Headers source': '表头来源',
  'Header items': '表头项',
  'Security attributes': '安全属性',
  'Data source': '数据来源',
  Content: '内容',
  Pagination: '分页',
  // properties panel: entries
  'Field label': '字段标签',
  'Group label': '分组标签',
  'Table label': '表格标签',
  Label: '标签',
  Key: '键',
  Description: '说明',
  'Field description': '字段说明',
  'Default value': '默认值',
  Required: '必填',
  'Read only': '只读',
  Disabled: '禁用',
  'Minimum length': '最小长度',
  'Maximum length': '最大长度',
  Minimum: '最小值',
  Maximum: '最大值',
  'Validation pattern': '校验格式',
  'Custom regular expression': '自定义正则表达式',
  'Custom error message': '自定义错误提示',
  Value: '值',
  Type: '类型',
  Text: '文本',
  Title: '标题',
  Columns: '列宽',
  Column: '列',
  'Hide if': '隐藏条件',
  Prefix: '前缀',
  Suffix: '后缀',
  Subtype: '子类型',
  Date: '日期',
  Time: '时间',
  'Date label': '日期标签',
  'Time label': '时间标签',
  'Time format': '时间格式',
  'Time interval': '时间间隔',
  'Use 24h': '24 小时制',
  'Disallow past dates': '禁止选择过去的日期',
  'Decimal digits': '小数位数',
  Increment: '步长',
  'Output as string': '以字符串输出',
  Searchable: '可搜索',
  'Input values key': '输入值的键',
  Expression: '表达式',
  'Compute on': '计算时机',
  'Value changes': '值改变时',
  'Form submission': '提交表单时',
  Height: '高度',
  URL: '网址 (URL)',
  'Image source': '图片来源',
  'Alternative text': '替代文本',
  'Upload multiple files': '允许上传多个文件',
  'Supported file formats': '支持的文件格式',
  Path: '路径',
  'Show outline': '显示边框',
  'Vertical alignment': '垂直对齐',
  Top: '顶部',
  Center: '居中',
  Bottom: '底部',
  'Allow add/delete items': '允许添加/删除项',
  'Default number of items': '默认项数',
  'Disable collapse': '禁止折叠',
  'Number of non-collapsing items': '不折叠的项数',
  'Number of rows per page': '每页行数',
  Static: '静态',
  'Input data': '输入数据',
  Custom: '自定义',
  Email: '电子邮件',
  Phone: '电话',
  Submit: '提交',
  Reset: '重置',
  Checked: '已勾选',
  'Not checked': '未勾选',
  Auto: '自动',
  ID: '编号 (ID)',
  'Version tag': '版本标签',
  Form: '表单',
  'Create new list item': '新建列表项',
  Create: '新建',
  'Delete item': '删除此项',
  'Toggle list item': '展开/折叠此项',
  'Toggle section': '展开/折叠',
  'Section contains edits': '此部分有改动',
  'Section contains an error': '此部分有错误',
  'Open documentation': '打开文档',
  'Open pop-up editor': '在弹出窗口中编辑',
  'Remove form field': '删除表单字段',
  '<empty>': '<空>',
  'Must not be empty.': '不能为空。',
  'Must be unique.': '必须唯一。',
  'Binds to a form variable': '绑定到一个表单变量',
  'Condition under which the field is hidden': '满足此条件时隐藏此字段',
  'Define an expression to calculate the value of this field': '用表达式计算此字段的值',
  'Define an expression to populate the options from.': '用表达式生成选项。',
  'Define which input property to populate the values from': '从哪个输入属性取选项',
  'Where the child variables of this component are pathed to.': '此组件的子变量所在的路径。',
};

/** Elements whose text is the designer's own (the form as drawn, typed values, a field's own label). */
const OWN_TEXT = '.fjs-form, input, textarea, [contenteditable], .cm-editor, .bio-properties-panel-header-label, .bio-properties-panel-collapsible-entry-header-title';
const ATTRIBUTES = ['title', 'placeholder', 'aria-label'] as const;

/** The Chinese of a known English text (surrounding spaces kept), or undefined. */
export function formEditorZh(text: string): string | undefined {
  const trimmed = text.trim();
  const zh = ZH[trimmed] ?? createTitle(trimmed);
  if (!zh) return undefined;
  const start = text.indexOf(trimmed);
  return text.slice(0, start) + zh + text.slice(start + trimmed.length);
}

/** The palette's tooltips: "Create a Text field element" → 创建文本框. */
function createTitle(text: string): string | undefined {
  for (const lead of ['Create a ', 'Create an ']) {
    if (text.startsWith(lead) && text.endsWith(' element')) {
      const zh = ZH[text.slice(lead.length, -' element'.length)];
      if (zh) return `创建${zh}`;
    }
  }
  return undefined;
}

function translateText(node: Text): void {
  const parent = node.parentElement;
  if (!parent || parent.closest(OWN_TEXT)) return;
  const zh = formEditorZh(node.data);
  if (zh !== undefined && zh !== node.data) node.data = zh;
}

function translateAttributes(el: Element): void {
  if (el.closest('.fjs-form')) return;
  for (const name of ATTRIBUTES) {
    const value = el.getAttribute(name);
    const zh = value ? formEditorZh(value) : undefined;
    if (zh !== undefined && zh !== value) el.setAttribute(name, zh);
  }
}

function translateTree(root: Node): void {
  if (root.nodeType === Node.TEXT_NODE) {
    translateText(root as Text);
    return;
  }
  if (!(root instanceof Element)) return;
  translateAttributes(root);
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (n.nodeType === Node.TEXT_NODE) translateText(n as Text);
    else translateAttributes(n as Element);
  }
}

/**
 * Keeps the form editor inside `host` in Chinese while the language is Chinese; returns a function
 * that stops watching. In English it does nothing.
 */
export function translateFormEditor(host: HTMLElement): () => void {
  if (language() === 'en') return () => undefined;
  translateTree(host);
  const observer = new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === 'characterData') translateTree(r.target);
      else if (r.type === 'attributes') translateAttributes(r.target as Element);
      else r.addedNodes.forEach((n) => translateTree(n));
    }
  });
  observer.observe(host, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: [...ATTRIBUTES] });
  return () => observer.disconnect();
}
