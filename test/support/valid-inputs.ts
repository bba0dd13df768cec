import type { CallName } from '../../src/shared/contract'
import { STRONG_PASSWORD } from './temp-console'

/**
 * A well-formed input for every contract call, so a refusal in a test is about the session or the permission,
 * not the input. Its type makes a new call fail to compile here until it has an entry.
 */
export const UID = '00000000-0000-4000-8000-000000000000'
export const VALID_INPUT: Readonly<Record<CallName, unknown>> = {
  'system.status': {},
  'auth.evaluatePassword': { password: 'x' },
  'auth.setupAdmin': { name: 'zed', password: STRONG_PASSWORD },
  'auth.login': { name: 'alice', password: 'x' },
  'auth.logout': {},
  'auth.session': {},
  'auth.changePassword': { currentPassword: 'a', newPassword: 'b' },
  'auth.listSessions': {},
  'auth.signOutEverywhere': {},
  'mfa.status': {},
  'mfa.beginEnrollment': {},
  'mfa.confirmEnrollment': { code: '123456' },
  'mfa.regenerateBackupCodes': { password: 'x' },
  'mfa.disable': { password: 'x' },
  'users.list': {},
  'users.create': { name: 'bob', password: STRONG_PASSWORD },
  'users.delete': { userId: UID, reason: 'left the team', confirmPassword: 'x' },
  'users.lock': { userId: UID, reason: 'suspicious' },
  'users.unlock': { userId: UID, reason: 'cleared' },
  'users.grantRole': { userId: UID, role: 'researcher', reason: 'new project' },
  'users.revokeRole': { userId: UID, role: 'researcher', reason: 'project over' },
  'users.resetPassword': { userId: UID, newPassword: STRONG_PASSWORD, reason: 'forgotten' },
  'users.resetMfa': { userId: UID, reason: 'lost phone', confirmPassword: 'x' },
  'users.listSessions': { userId: UID },
  'users.revokeSessions': { userId: UID },
  'users.accessReview': {},
  'roles.list': {},
  'roles.create': { name: 'auditor', description: 'reads logs', permissions: ['system:monitor'] },
  'settings.getIdentity': {},
  'settings.updateIdentity': { patch: { lockoutMinutes: 10 } },
  'jobs.get': { jobId: UID },
  'jobs.list': {},
  'jobs.cancel': { jobId: UID },
  'audit.verify': {},
  'compliance.report': { standard: 'all', from: '2026-01-01T00:00:00.000Z', to: '2026-02-01T00:00:00.000Z' },
  'audit.search': { text: 'login' },
  'audit.metrics': {},
  'audit.export': { format: 'jsonl' },
  'audit.recent': {},
}
