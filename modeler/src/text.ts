/**
 * User-facing text in one language at a time: Chinese (zh-CN) by default, English when the user
 * switched (remembered on the server per user, and in this browser for the sign-in page).
 * t('signIn') → "登录" or "Sign in". Placeholders {0}, {1} … are filled from the arguments.
 */
const MESSAGES = {
  product: ['供电服务流程平台', 'Power supply service process platform'],
  signIn: ['登录', 'Sign in'],
  signOut: ['退出', 'Sign out'],
  username: ['用户名', 'Username'],
  password: ['密码', 'Password'],
  signingIn: ['正在登录…', 'Signing in…'],
  wrongCredentials: ['用户名或密码错误', 'Wrong username or password'],
  rateLimited: ['登录尝试过多，请一分钟后再试', 'Too many sign-in attempts; try again in a minute'],
  signInFailed: ['登录失败', 'Sign-in failed'],
  sessionLost: ['会话已过期，请重新登录', 'Your session has ended; please sign in again'],
  mainNav: ['主导航', 'Main navigation'],
  switchLanguage: ['切换语言 / Switch language', '切换语言 / Switch language'],
  navModeler: ['流程设计', 'Modeler'],
  navTasks: ['我的任务', 'Tasks'],
  navProcesses: ['流程', 'Processes'],
  navInstances: ['流程实例', 'Instances'],
  navAssessment: ['考核', 'Assessment'],
  navAdmin: ['系统管理', 'Administration'],
  navHub: ['督办中心', 'Hub queue'],
  navBoard: ['SLA 看板', 'SLA board'],
  notAllowed: ['您的角色无权使用此页面', 'Your role may not use this page'],
  loading: ['加载中…', 'Loading…'],
  networkError: ['无法连接服务器（{0}）', 'Cannot reach the server ({0})'],
  refresh: ['刷新', 'Refresh'],
  none: ['暂无', 'None'],

  // modeler
  newDiagram: ['新建', 'New diagram'],
  openFile: ['打开 .bpmn 文件', 'Open .bpmn file'],
  download: ['下载 XML', 'Download XML'],
  formsToDeploy: ['随附表单 (.form)', 'Forms to deploy with it (.form)'],
  deploy: ['部署', 'Deploy'],
  deploying: ['正在部署…', 'Deploying…'],
  currentFile: ['当前文件：{0}', 'File: {0}'],
  canvasLabel: ['BPMN 流程图编辑器', 'BPMN diagram editor'],
  deployed: ['部署成功：流程 {0}，版本 {1}', 'Deployed: process {0}, version {1}'],
  deployedForm: ['表单 {0}，版本 {1}', 'form {0}, version {1}'],
  deployFailed: ['部署失败', 'Deployment failed'],
  deployProblems: ['需要修改的元素（点击定位）', 'Elements to fix (click to select)'],
  openFailed: ['无法打开文件', 'Cannot open the file'],
  laidOut: ['文件中没有图形布局，已自动排版', 'The file had no diagram layout; it was laid out automatically'],
  exportFailed: ['无法导出 XML', 'Cannot export the XML'],

  // tasks
  tasksTitle: ['待办任务', 'Open tasks'],
  colTask: ['任务', 'Task'],
  colProcess: ['流程', 'Process'],
  colCreated: ['创建时间', 'Created'],
  colAssignee: ['处理人', 'Assignee'],
  colGroups: ['候选组', 'Candidate groups'],
  colActions: ['操作', 'Actions'],
  claim: ['认领', 'Claim'],
  claimed: ['已认领任务 {0}', 'Claimed task {0}'],
  complete: ['完成', 'Complete'],
  completeTask: ['完成任务：{0}', 'Complete task: {0}'],
  cancel: ['取消', 'Cancel'],
  completed: ['任务 {0} 已完成', 'Task {0} completed'],
  noTasks: ['没有待办任务', 'No open tasks'],
  unassigned: ['未分配', 'unassigned'],
  me: ['我', 'me'],
  readOnlyTasks: ['您的角色只能查看任务', 'Your role can view tasks but not work on them'],
  formOf: ['表单 {0}（版本 {1}）', 'Form {0} (version {1})'],
  variablesJson: ['变量（JSON 对象）', 'Variables (JSON object)'],
  moreVariables: ['其他变量（JSON 对象，可选）', 'More variables (JSON object, optional)'],
  invalidJson: ['变量不是有效的 JSON 对象', 'The variables are not a valid JSON object'],
  notANumber: ['{0} 必须是数字', '{0} must be a number'],
  formRefused: ['表单内容未通过校验，请修改以下字段', 'The form was refused; please correct these fields'],
  required: ['必填', 'required'],
  choose: ['请选择', 'choose'],
  yes: ['是', 'yes'],
  no: ['否', 'no'],
  noticesTitle: ['未读通知（{0}）', 'Unread notices ({0})'],
  noticeurge: ['催办', 'Urge'],
  noticebreach: ['超时', 'Overdue'],
  noticesupervision: ['督办', 'Supervision order'],
  noticeescalation: ['升级', 'Escalation'],
  noticereassign: ['转派', 'Reassigned'],
  markRead: ['已读', 'Mark read'],

  // processes
  definitionsTitle: ['已部署流程（最新版本）', 'Deployed processes (latest versions)'],
  colName: ['名称', 'Name'],
  colId: ['流程 ID', 'Process id'],
  colVersion: ['版本', 'Version'],
  colResource: ['文件', 'Resource'],
  start: ['启动', 'Start'],
  startProcess: ['启动流程：{0}', 'Start process: {0}'],
  started: ['已启动流程实例 {0}（{1} 版本 {2}）', 'Started process instance {0} ({1} version {2})'],
  noDefinitions: ['尚未部署流程', 'No processes deployed yet'],
  instancesTitle: ['最近的流程实例', 'Recent process instances'],
  colInstance: ['实例', 'Instance'],
  colState: ['状态', 'State'],
  colStarted: ['开始时间', 'Started'],
  colEnded: ['结束时间', 'Ended'],
  noInstances: ['暂无流程实例', 'No process instances yet'],
  noInstanceRights: ['您的角色不能查看流程实例列表', 'Your role cannot list process instances'],
  stateACTIVE: ['运行中', 'active'],
  stateCOMPLETED: ['已完成', 'completed'],
  stateTERMINATED: ['已终止', 'terminated'],
  incident: ['有故障', 'incident'],
} as const satisfies Record<string, readonly [string, string]>;

export type MessageKey = keyof typeof MESSAGES;

function fill(template: string, args: readonly unknown[]): string {
  return template.replace(/\{(\d+)\}/g, (m, i: string) => (Number(i) < args.length ? String(args[Number(i)]) : m));
}

export type Language = 'zh-CN' | 'en';
const STORAGE_KEY = 'gongdian.language';

function initialLanguage(): Language {
  try {
    return globalThis.localStorage?.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

let current: Language = initialLanguage();

export function language(): Language {
  return current;
}

/** Switches the language of every text made from now on (and the page's lang attribute). */
export function setLanguage(lang: Language): void {
  current = lang === 'en' ? 'en' : 'zh-CN';
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, current);
  } catch {
    // private mode: the server keeps the choice anyway
  }
  if (typeof document !== 'undefined') document.documentElement.lang = current;
}

/** The text of `key` in the current language. */
export function t(key: MessageKey, ...args: unknown[]): string {
  const [zhText, enText] = MESSAGES[key];
  return fill(current === 'en' ? enText : zhText, args);
}

/**
 * A view's own texts, kept beside the view (e.g. views/board/text.ts) so that views do not all edit
 * this file: `const tb = messages({ title: ['SLA 看板', 'SLA board'] }); tb('title')`.
 */
export function messages<K extends string>(table: Record<K, readonly [string, string]>): (key: K, ...args: unknown[]) => string {
  return (key, ...args) => {
    const [zhText, enText] = table[key];
    return fill(current === 'en' ? enText : zhText, args);
  };
}

/** "text: detail" for a failure whose detail comes from the server or the parser. */
export function failure(key: MessageKey, detail: string): string {
  return `${t(key)}: ${detail}`;
}

/** Chinese whatever the language (rarely needed; prefer t). */
export function zh(key: MessageKey, ...args: unknown[]): string {
  return fill(MESSAGES[key][0], args);
}

export function en(key: MessageKey, ...args: unknown[]): string {
  return fill(MESSAGES[key][1], args);
}
