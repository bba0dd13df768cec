import {
  ActionIcon,
  Alert,
  Badge,
  Autocomplete,
  Button,
  Code,
  Grid,
  Group,
  MultiSelect,
  NumberInput,
  Paper,
  Radio,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  TagsInput,
  Text,
  Title,
} from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { Plus, Save, ShieldOff, Trash2, Undo2 } from 'lucide-react'
import { useMemo, useState, type ReactNode } from 'react'
import type { CallOutput } from '../../../../shared/contract'
import type { IdentitySettings } from '../../../../shared/identity-settings'
import { PERMISSIONS, type Permission } from '../../../../shared/permissions'
import type { CallError } from '../../../../shared/result'
import { ErrorAlert } from '../../components/ErrorAlert'
import { ViewHeader } from '../../components/ViewHeader'
import { useCan } from '../../lib/permissions'
import { localZone } from '../../lib/time'
import { useCall } from '../../lib/use-call'
import { useAppStore } from '../../store'
import { callApi } from '../../store/call'
import {
  asInteger,
  diffDraft,
  fieldOfError,
  SETTING_LABEL,
  toDraft,
  type NumberDraft,
  type NumberKey,
  type SettingsDraft,
} from './settings-draft'

type Presets = CallOutput<'settings.getIdentity'>['presets']

export function SettingsView() {
  const { state, reload } = useCall('settings.getIdentity', {})
  const editable = useCan('system:configure')
  const canReadRoles = useCan('users:read')
  const roles = useCall('roles.list', {}, { enabled: canReadRoles })
  const roleNames = roles.state.status === 'ready' ? roles.state.value.roles.map((r) => r.name) : []
  return (
    <>
      <ViewHeader
        title="Settings"
        description="How the console protects accounts and sessions: password policy, lockout, session limits, two-factor and access conditions."
      />
      {state.status === 'loading' && <SettingsSkeleton />}
      {state.status === 'error' && (
        <ErrorAlert error={state.error} title="The settings could not be read" onRetry={reload} />
      )}
      {state.status === 'ready' && (
        <SettingsForm
          initial={state.value.settings}
          presets={state.value.presets}
          editable={editable}
          roleNames={roleNames}
        />
      )}
    </>
  )
}

function SettingsSkeleton() {
  return (
    <Grid gap="md" aria-busy="true" aria-label="Loading the settings">
      {[0, 1, 2, 3].map((i) => (
        <Grid.Col key={i} span={6}>
          <Skeleton height={210} radius="sm" />
        </Grid.Col>
      ))}
      <Grid.Col span={12}>
        <Skeleton height={180} radius="sm" />
      </Grid.Col>
    </Grid>
  )
}

function Section({ title, what, children }: { title: string; what: ReactNode; children: ReactNode }) {
  return (
    <Paper withBorder p="md" h="100%" component="section" aria-label={title}>
      <Title order={3} size="h5">
        {title}
      </Title>
      <Text size="xs" c="dimmed" mb="sm">
        {what}
      </Text>
      {children}
    </Paper>
  )
}

const ZONES: string[] = (() => {
  try {
    return Intl.supportedValuesOf('timeZone')
  } catch {
    return ['UTC']
  }
})()

interface FormProps {
  initial: IdentitySettings
  presets: Presets
  editable: boolean
  roleNames: string[]
}

/**
 * The identity settings as one form: read-only (and saying why) without system:configure. Save sends only
 * what changed; main checks every range and its refusal is shown in its own words, next to the field too.
 */
function SettingsForm({ initial, presets, editable, roleNames }: FormProps) {
  const sessionRefreshed = useAppStore((s) => s.sessionRefreshed)
  const [base, setBase] = useState(initial)
  const [draft, setDraft] = useState<SettingsDraft>(() => toDraft(initial))
  const [saving, setSaving] = useState(false)
  const [failure, setFailure] = useState<CallError | null>(null)
  const { problems, patch, changed } = useMemo(() => diffDraft(base, draft), [base, draft])
  const failedField = failure ? fieldOfError(failure.message) : null
  const errorFor = (key: string): string | null =>
    problems[key] ?? (failedField === key && failure ? failure.message : null)

  const setNumber = (key: NumberKey) => (value: NumberDraft) =>
    setDraft((d) => ({ ...d, numbers: { ...d.numbers, [key]: value } }))
  const numberField = (key: NumberKey, label: string, description: string) => (
    <NumberInput
      label={label}
      description={description}
      value={draft.numbers[key]}
      onChange={setNumber(key)}
      allowDecimal={false}
      allowNegative={false}
      clampBehavior="none"
      readOnly={!editable}
      hideControls={!editable}
      error={errorFor(key)}
    />
  )
  const n = (key: NumberKey): string => String(asInteger(draft.numbers[key]) ?? '…')

  const save = async () => {
    if (Object.keys(problems).length > 0 || changed.length === 0) return
    setSaving(true)
    setFailure(null)
    const result = await callApi('settings.updateIdentity', { patch })
    setSaving(false)
    if (!result.ok) {
      setFailure(result.error)
      return
    }
    setBase(result.value.settings)
    setDraft(toDraft(result.value.settings))
    notifications.show({
      color: 'teal',
      title: 'Settings saved',
      message: `Changed: ${changed.map((k) => SETTING_LABEL[k]).join(', ')}.`,
    })
    // The idle timeout may have changed: the countdown reads it from the session.
    const session = await callApi('auth.session', {})
    if (session.ok) sessionRefreshed(session.value)
  }

  const discard = () => {
    setDraft(toDraft(base))
    setFailure(null)
  }

  const roleOptions = [...new Set([...roleNames, ...draft.mfaRequiredRoles, ...base.mfaRequiredRoles])]
  const unusedWindowPerms = PERMISSIONS.filter((p) => !draft.windows.some((w) => w.permission === p))
  const unusedClientPerms = PERMISSIONS.filter((p) => !draft.clients.some((c) => c.permission === p))
  const currentPreset = presets.find((p) => p.id === base.passwordPreset)

  return (
    <Stack gap="md" pb={editable ? 72 : 0}>
      {!editable && (
        <Alert variant="light" color="gray" icon={<ShieldOff size={18} aria-hidden />} title="Read-only">
          <Text size="sm">
            Changing these settings needs the permission <Code>system:configure</Code>, which none of your
            roles grants. You see them so you know the rules that apply to you.
          </Text>
        </Alert>
      )}
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Section
            title="Password policy"
            what={`Checked for every new password. Now: ${currentPreset?.label ?? base.passwordPreset}.`}
          >
            {editable ? (
              <Radio.Group
                value={draft.passwordPreset}
                onChange={(v) =>
                  setDraft((d) => ({ ...d, passwordPreset: v === 'reference' ? 'reference' : 'nist' }))
                }
                label="Preset"
                error={errorFor('passwordPreset')}
              >
                <Stack gap="sm" mt={6}>
                  {presets.map((p) => (
                    <Radio key={p.id} value={p.id} label={p.label} description={p.description} />
                  ))}
                </Stack>
              </Radio.Group>
            ) : (
              <Stack gap="sm" component="ul" p={0} m={0} aria-label="Password presets">
                {presets.map((p) => (
                  <li key={p.id} style={{ listStyle: 'none' }}>
                    <Group gap={8}>
                      <Text size="sm" fw={p.id === base.passwordPreset ? 600 : 400}>
                        {p.label}
                      </Text>
                      {p.id === base.passwordPreset && (
                        <Badge size="xs" variant="light" radius="sm" tt="none">
                          in use
                        </Badge>
                      )}
                    </Group>
                    <Text size="xs" c="dimmed">
                      {p.description}
                    </Text>
                  </li>
                ))}
              </Stack>
            )}
            <Text size="xs" c="dimmed" mt="sm">
              A new preset applies to passwords set from now on; existing passwords stay valid.
            </Text>
          </Section>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Section
            title="Lockout"
            what={`After ${n('maxFailedAttempts')} wrong passwords or codes in a row an account is locked for ${n('lockoutMinutes')} minutes; each repeated lockout lasts twice as long, up to 8×.`}
          >
            <SimpleGrid cols={2} spacing="md" verticalSpacing="sm">
              {numberField('maxFailedAttempts', 'Failed attempts', 'In a row, before a lockout · 3–20')}
              {numberField('lockoutMinutes', 'Lockout length (minutes)', 'The first lockout · 1–1440')}
              {numberField(
                'maxFailuresPerClient',
                'Failures per client',
                'In 15 minutes, any account · 5–1000',
              )}
            </SimpleGrid>
            <Text size="xs" c="dimmed" mt="sm">
              The per-client limit counts failures from one app window, browser address or OS user across all
              accounts, against password spraying.
            </Text>
          </Section>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Section
            title="Sessions"
            what={`A session ends after ${n('idleTimeoutMinutes')} min without a call (the console locks) and at the latest ${n('absoluteLifetimeHours')} h after sign-in. A sign-in beyond ${n('maxSessionsPerAccount')} live sessions ends the oldest.`}
          >
            <SimpleGrid cols={2} spacing="md" verticalSpacing="sm">
              {numberField('idleTimeoutMinutes', 'Idle timeout (minutes)', 'Without a call · 1–240')}
              {numberField('absoluteLifetimeHours', 'Maximum length (hours)', 'After sign-in · 1–72')}
              {numberField('maxSessionsPerAccount', 'Sessions per account', 'Live at once · 1–20')}
            </SimpleGrid>
          </Section>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Section
            title="Two-factor authentication"
            what="Members of these roles must set up an authenticator before they can do anything else, and cannot turn it off."
          >
            <MultiSelect
              label="Roles that require two-factor"
              description={
                roleNames.length === 0 && editable
                  ? 'The list of roles needs users:read; type a role name'
                  : 'Pick from the console’s roles'
              }
              data={roleOptions}
              value={draft.mfaRequiredRoles}
              onChange={(v) => setDraft((d) => ({ ...d, mfaRequiredRoles: v }))}
              searchable
              readOnly={!editable}
              placeholder={draft.mfaRequiredRoles.length === 0 ? 'No role requires it' : undefined}
              error={errorFor('mfaRequiredRoles')}
              comboboxProps={{ withinPortal: true }}
            />
          </Section>
        </Grid.Col>
        <Grid.Col span={12}>
          <Section
            title="Access conditions"
            what="Limits on when and from where a permission may be used. A permission without a row here may be used at any time, from any client."
          >
            <Autocomplete
              label="Time zone for the time windows"
              description={`An IANA name such as Europe/Berlin; checked by the console. Yours: ${localZone()}`}
              data={ZONES}
              limit={12}
              value={draft.timeZone}
              onChange={(v) => setDraft((d) => ({ ...d, timeZone: v }))}
              readOnly={!editable}
              error={errorFor('timeZone')}
              w={360}
              comboboxProps={{ withinPortal: true }}
            />
            <Grid gap="md" mt="md">
              <Grid.Col span={{ base: 12, lg: 6 }}>
                <WindowsTable
                  draft={draft}
                  setDraft={setDraft}
                  unused={unusedWindowPerms}
                  errorFor={errorFor}
                  editable={editable}
                />
              </Grid.Col>
              <Grid.Col span={{ base: 12, lg: 6 }}>
                <ClientsTable
                  draft={draft}
                  setDraft={setDraft}
                  unused={unusedClientPerms}
                  errorFor={errorFor}
                  editable={editable}
                />
              </Grid.Col>
            </Grid>
          </Section>
        </Grid.Col>
      </Grid>
      {failure && <ErrorAlert error={failure} title="The settings were not saved" />}
      {editable && (
        <Paper
          withBorder
          shadow="sm"
          p="sm"
          pos="sticky"
          bottom={12}
          style={{ zIndex: 2 }}
          aria-label="Unsaved changes"
          component="section"
        >
          <Group justify="space-between" wrap="nowrap">
            <Text
              size="sm"
              c={changed.length ? undefined : 'dimmed'}
              aria-live="polite"
              data-testid="settings-changes"
            >
              {changed.length === 0
                ? 'No unsaved changes.'
                : `Unsaved: ${changed.map((k) => SETTING_LABEL[k]).join(', ')}.`}
              {Object.keys(problems).length > 0 ? ' Fix the fields marked in red first.' : ''}
            </Text>
            <Group gap="xs" wrap="nowrap">
              <Button
                variant="default"
                size="xs"
                leftSection={<Undo2 size={14} aria-hidden />}
                onClick={discard}
                disabled={changed.length === 0 && !failure}
              >
                Discard
              </Button>
              <Button
                size="xs"
                leftSection={<Save size={14} aria-hidden />}
                onClick={() => void save()}
                loading={saving}
                disabled={changed.length === 0 || Object.keys(problems).length > 0}
              >
                Save changes
              </Button>
            </Group>
          </Group>
        </Paper>
      )}
    </Stack>
  )
}

interface RowsProps {
  draft: SettingsDraft
  setDraft: (update: (d: SettingsDraft) => SettingsDraft) => void
  unused: Permission[]
  errorFor: (key: string) => string | null
  editable: boolean
}

function AddRow({
  unused,
  label,
  onAdd,
}: {
  unused: Permission[]
  label: string
  onAdd: (p: Permission) => void
}) {
  const [choice, setChoice] = useState<string | null>(null)
  const chosen = unused.find((p) => p === choice)
  return (
    <Group gap="xs" mt="xs" align="flex-end">
      <Select
        aria-label={`Permission for a new ${label}`}
        placeholder="Choose a permission"
        data={unused}
        value={choice}
        onChange={setChoice}
        size="xs"
        w={220}
        searchable
        comboboxProps={{ withinPortal: true }}
      />
      <Button
        size="xs"
        variant="default"
        leftSection={<Plus size={14} aria-hidden />}
        disabled={!chosen}
        onClick={() => {
          if (chosen) onAdd(chosen)
          setChoice(null)
        }}
      >
        Add {label}
      </Button>
    </Group>
  )
}

function WindowsTable({ draft, setDraft, unused, errorFor, editable }: RowsProps) {
  const set = (p: Permission, field: 'fromHour' | 'toHour', value: NumberDraft) =>
    setDraft((d) => ({
      ...d,
      windows: d.windows.map((w) => (w.permission === p ? { ...w, [field]: value } : w)),
    }))
  return (
    <div>
      <Text size="sm" fw={500}>
        Time windows
      </Text>
      <Text size="xs" c="dimmed" mb={6}>
        Hours of the day (in the time zone above) when a permission may be used; from is included, to is not.
      </Text>
      {draft.windows.length === 0 ? (
        <Text size="sm" c="dimmed">
          None: every permission may be used at any time.
        </Text>
      ) : (
        <Table verticalSpacing={4} fz="sm">
          <caption className="qq-sr-only">Time windows per permission</caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Permission</Table.Th>
              <Table.Th w={100}>From (h)</Table.Th>
              <Table.Th w={100}>To (h)</Table.Th>
              <Table.Th w={40}>
                <span className="qq-sr-only">Remove</span>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {draft.windows.map((w) => {
              const error = errorFor(`window:${w.permission}`)
              return (
                <Table.Tr key={w.permission}>
                  <Table.Td>
                    <Code>{w.permission}</Code>
                    {error && (
                      <Text size="xs" c="red">
                        {error}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <NumberInput
                      size="xs"
                      aria-label={`${w.permission} from hour (0–23)`}
                      value={w.fromHour}
                      onChange={(v) => set(w.permission, 'fromHour', v)}
                      allowDecimal={false}
                      allowNegative={false}
                      clampBehavior="none"
                      readOnly={!editable}
                      hideControls={!editable}
                      error={Boolean(error)}
                    />
                  </Table.Td>
                  <Table.Td>
                    <NumberInput
                      size="xs"
                      aria-label={`${w.permission} to hour (1–24)`}
                      value={w.toHour}
                      onChange={(v) => set(w.permission, 'toHour', v)}
                      allowDecimal={false}
                      allowNegative={false}
                      clampBehavior="none"
                      readOnly={!editable}
                      hideControls={!editable}
                      error={Boolean(error)}
                    />
                  </Table.Td>
                  <Table.Td>
                    {editable && (
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        aria-label={`Remove the time window of ${w.permission}`}
                        onClick={() =>
                          setDraft((d) => ({
                            ...d,
                            windows: d.windows.filter((x) => x.permission !== w.permission),
                          }))
                        }
                      >
                        <Trash2 size={14} aria-hidden />
                      </ActionIcon>
                    )}
                  </Table.Td>
                </Table.Tr>
              )
            })}
          </Table.Tbody>
        </Table>
      )}
      {editable && (
        <AddRow
          unused={unused}
          label="window"
          onAdd={(p) =>
            setDraft((d) => ({ ...d, windows: [...d.windows, { permission: p, fromHour: 8, toHour: 18 }] }))
          }
        />
      )}
    </div>
  )
}

function ClientsTable({ draft, setDraft, unused, errorFor, editable }: RowsProps) {
  return (
    <div>
      <Text size="sm" fw={500}>
        Client restrictions (browser mode)
      </Text>
      <Text size="xs" c="dimmed" mb={6}>
        Addresses from which a permission may be used in browser mode, e.g. 127.0.0.1. The desktop app is not
        affected.
      </Text>
      {draft.clients.length === 0 ? (
        <Text size="sm" c="dimmed">
          None: every permission may be used from any client.
        </Text>
      ) : (
        <Table verticalSpacing={4} fz="sm">
          <caption className="qq-sr-only">Client restrictions per permission</caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={170}>Permission</Table.Th>
              <Table.Th>Allowed addresses</Table.Th>
              <Table.Th w={40}>
                <span className="qq-sr-only">Remove</span>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {draft.clients.map((c) => {
              const error = errorFor(`client:${c.permission}`)
              return (
                <Table.Tr key={c.permission}>
                  <Table.Td>
                    <Code>{c.permission}</Code>
                  </Table.Td>
                  <Table.Td>
                    <TagsInput
                      size="xs"
                      aria-label={`Addresses allowed to use ${c.permission}`}
                      placeholder={c.addresses.length === 0 ? 'Type an address, then Enter' : undefined}
                      value={c.addresses}
                      onChange={(v) =>
                        setDraft((d) => ({
                          ...d,
                          clients: d.clients.map((x) =>
                            x.permission === c.permission ? { ...x, addresses: v } : x,
                          ),
                        }))
                      }
                      splitChars={[',', ' ']}
                      readOnly={!editable}
                      error={error}
                    />
                  </Table.Td>
                  <Table.Td>
                    {editable && (
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        aria-label={`Remove the client restriction of ${c.permission}`}
                        onClick={() =>
                          setDraft((d) => ({
                            ...d,
                            clients: d.clients.filter((x) => x.permission !== c.permission),
                          }))
                        }
                      >
                        <Trash2 size={14} aria-hidden />
                      </ActionIcon>
                    )}
                  </Table.Td>
                </Table.Tr>
              )
            })}
          </Table.Tbody>
        </Table>
      )}
      {editable && (
        <AddRow
          unused={unused}
          label="restriction"
          onAdd={(p) =>
            setDraft((d) => ({ ...d, clients: [...d.clients, { permission: p, addresses: ['127.0.0.1'] }] }))
          }
        />
      )}
    </div>
  )
}
