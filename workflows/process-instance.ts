// Placeholder replaced by the BPMN interpreter.
export async function processInstanceWorkflow(): Promise<void> {}
