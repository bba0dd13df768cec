import { KeyRound, Radar, ShieldAlert } from 'lucide-react'
import type { PlannedViewSpec } from './PlannedView'

export const VAULT: PlannedViewSpec = {
  title: 'Vault',
  icon: KeyRound,
  purpose: 'Secrets encrypted at rest with a key held by the OS keychain.',
  issue: 4,
  will: [
    'Keep passwords, keys and notes encrypted; list on the left, detail on the right.',
    'Hide every secret until you reveal it, re-hide it on blur, and audit each reveal.',
    'Copy to the clipboard and clear it again after a short time.',
    'Import, export and rotate the vault key with progress and a cancel button.',
  ],
}

export const SCANS: PlannedViewSpec = {
  title: 'Scans',
  icon: Radar,
  purpose: 'Security scans of this machine and its configuration.',
  issue: 6,
  will: [
    'Run scanner checks (each a small rule with an id, severity and confidence).',
    'Show progress with counts and rate; keep the console usable and let you cancel.',
    'List findings by severity with the evidence, why it matters and how to fix it.',
  ],
}

export const THREATS: PlannedViewSpec = {
  title: 'Threats',
  icon: ShieldAlert,
  purpose: 'Detections from threat rules run over logs and the audit trail.',
  issue: 7,
  will: [
    'Match threat rules against incoming events and the audit trail.',
    'List detections by severity, rule and source; open one for its evidence.',
    'Track each detection as open, fixed or dismissed with a reason.',
  ],
}
