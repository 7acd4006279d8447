export function registerPostureVerify(_posture: import('commander').Command): void {}
