import {
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { KeyRound, RefreshCw, ShieldCheck, ShieldOff, TriangleAlert } from 'lucide-react'
import { useState, type ReactNode } from 'react'
import type { CallOutput } from '../../../../shared/contract'
import { ActionForm } from '../../components/ActionForm'
import { ErrorAlert } from '../../components/ErrorAlert'
import { useCall } from '../../lib/use-call'
import { callApi } from '../../store/call'
import { BackupCodeGrid, CopyCodesButton } from '../mfa/BackupCodeGrid'
import { QrCodeImage } from '../mfa/QrCodeImage'
import { SecretReveal } from '../mfa/SecretReveal'
import { useTotpEnrollment } from '../mfa/use-totp-enrollment'
import { plural } from '../../lib/words'

type MfaStatus = CallOutput<'mfa.status'>
type Dialog = 'regenerate' | 'disable' | 'setup'

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Table.Tr>
      <Table.Th w={130} fw={500} c="dimmed" fz="xs">
        {label}
      </Table.Th>
      <Table.Td fz="sm">{children}</Table.Td>
    </Table.Tr>
  )
}

/** mfa.status with what can be done from it: new backup codes, turning it off, or setting it up. */
export function TwoFactorCard({ accountName, onChanged }: { accountName: string; onChanged: () => void }) {
  const { state, reload } = useCall('mfa.status', {})
  const [dialog, setDialog] = useState<Dialog | null>(null)
  const [open, setOpen] = useState(false)
  const show = (d: Dialog) => {
    setDialog(d)
    setOpen(true)
  }
  const close = () => setOpen(false)
  const changed = () => {
    reload()
    onChanged()
  }

  return (
    <Paper withBorder p="md" h="100%" component="section" aria-label="Two-factor authentication">
      <Title order={3} size="h5">
        Two-factor authentication
      </Title>
      <Text size="xs" c="dimmed" mb="sm">
        A one-time code from an authenticator app on top of the password; backup codes for when it is not at
        hand.
      </Text>
      {state.status === 'loading' && (
        <Stack gap={6} aria-busy="true" aria-label="Loading the two-factor state">
          <Skeleton height={22} />
          <Skeleton height={22} />
          <Skeleton height={22} />
        </Stack>
      )}
      {state.status === 'error' && (
        <ErrorAlert error={state.error} title="The two-factor state could not be read" onRetry={reload} />
      )}
      {state.status === 'ready' && (
        <Status
          status={state.value}
          onRegenerate={() => show('regenerate')}
          onDisable={() => show('disable')}
          onSetUp={() => show('setup')}
        />
      )}
      <Modal opened={open && dialog === 'regenerate'} onClose={close} title="New backup codes" size="md">
        <RegenerateBody
          left={state.status === 'ready' ? state.value.backupCodesLeft : null}
          onClose={close}
          onDone={changed}
        />
      </Modal>
      <Modal
        opened={open && dialog === 'disable'}
        onClose={close}
        title="Turn off two-factor authentication"
        size="md"
      >
        <ActionForm
          tone="danger"
          confirmLabel="Turn off two-factor"
          withPassword
          consequence={
            <>
              Turn off two-factor for {accountName}: signing in asks for the password only, and your
              authenticator and backup codes stop working.
              {state.status === 'ready' && state.value.required
                ? ' Your roles require two-factor, so the console will refuse.'
                : ''}
            </>
          }
          run={({ confirmPassword }) => callApi('mfa.disable', { password: confirmPassword })}
          onDone={() => {
            notifications.show({
              color: 'orange',
              title: 'Two-factor is off',
              message: 'Sign-in asks for the password only.',
            })
            close()
            changed()
          }}
          onCancel={close}
        />
      </Modal>
      <Modal
        opened={open && dialog === 'setup'}
        onClose={close}
        title="Set up two-factor authentication"
        size="md"
      >
        <SetUpBody onClose={close} onDone={changed} />
      </Modal>
    </Paper>
  )
}

function Status({
  status,
  onRegenerate,
  onDisable,
  onSetUp,
}: {
  status: MfaStatus
  onRegenerate: () => void
  onDisable: () => void
  onSetUp: () => void
}) {
  return (
    <Stack gap="sm">
      <Table verticalSpacing={3} withRowBorders={false}>
        <Table.Tbody>
          <Row label="State">
            <Badge
              variant="light"
              color={status.enabled ? 'teal' : 'gray'}
              size="sm"
              radius="sm"
              tt="none"
              leftSection={
                status.enabled ? <ShieldCheck size={11} aria-hidden /> : <ShieldOff size={11} aria-hidden />
              }
              data-testid="mfa-state"
            >
              {status.enabled ? 'On' : 'Off'}
            </Badge>
          </Row>
          {status.enabled && (
            <Row label="Kind">
              {status.kind === 'hotp' ? 'Hardware token (HOTP)' : 'Authenticator app (TOTP)'}
            </Row>
          )}
          {status.enabled && (
            <Row label="Backup codes">
              <Text span size="sm" c={status.backupCodesLeft <= 2 ? 'orange' : undefined}>
                {plural(status.backupCodesLeft, 'code')} left
              </Text>
            </Row>
          )}
          <Row label="Required">
            {status.required ? 'Yes — one of your roles requires it' : 'No role of yours requires it'}
          </Row>
        </Table.Tbody>
      </Table>
      {status.enabled && status.backupCodesLeft <= 2 && (
        <Alert color="orange" variant="light" icon={<TriangleAlert size={16} aria-hidden />} p="xs">
          <Text size="xs">Few backup codes left: make new ones before you run out.</Text>
        </Alert>
      )}
      <Group gap="xs">
        {status.enabled ? (
          <>
            <Button
              size="xs"
              variant="default"
              leftSection={<RefreshCw size={14} aria-hidden />}
              onClick={onRegenerate}
            >
              New backup codes
            </Button>
            <Button
              size="xs"
              variant="light"
              color="red"
              leftSection={<ShieldOff size={14} aria-hidden />}
              onClick={onDisable}
            >
              Turn off
            </Button>
          </>
        ) : (
          <Button size="xs" leftSection={<KeyRound size={14} aria-hidden />} onClick={onSetUp}>
            Set up an authenticator app
          </Button>
        )}
      </Group>
    </Stack>
  )
}

function CodesOnce({ codes, onClose }: { codes: readonly string[]; onClose: () => void }) {
  return (
    <Stack gap="sm">
      <Text size="sm">
        Your new backup codes. Each signs you in once. They are shown only now: store them somewhere safe
        before you close this.
      </Text>
      <BackupCodeGrid codes={codes} />
      <CopyCodesButton codes={codes} />
      <Group justify="flex-end">
        <Button onClick={onClose}>I have stored them</Button>
      </Group>
    </Stack>
  )
}

function RegenerateBody({
  left,
  onClose,
  onDone,
}: {
  left: number | null
  onClose: () => void
  onDone: () => void
}) {
  const [codes, setCodes] = useState<string[] | null>(null)
  if (codes) return <CodesOnce codes={codes} onClose={onClose} />
  return (
    <ActionForm
      tone="warning"
      confirmLabel="Make new codes"
      withPassword
      consequence={
        <>
          Make 10 new backup codes: the {left === null ? 'old codes' : plural(left, 'code')} you have left
          stop working at once. The new codes are shown once.
        </>
      }
      run={({ confirmPassword }) => callApi('mfa.regenerateBackupCodes', { password: confirmPassword })}
      onDone={(value) => {
        setCodes(value.backupCodes)
        onDone()
      }}
      onCancel={onClose}
    />
  )
}

function SetUpBody({ onClose, onDone }: { onClose: () => void; onDone: () => void }) {
  const { enrollment, backupCodes: codes, busy, failure, begin, confirm, codeField } = useTotpEnrollment()

  if (codes) return <CodesOnce codes={codes} onClose={onClose} />
  if (!enrollment) {
    return (
      <Stack gap="sm">
        <Text size="sm">
          You need an authenticator app (for example Aegis, Google Authenticator or a password manager with
          one-time codes). The console shows a QR code to scan and then asks for one code from the app.
        </Text>
        {failure && <ErrorAlert error={failure} title="Two-factor was not set up" />}
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={() => void begin()} loading={busy} data-autofocus>
            Show the QR code
          </Button>
        </Group>
      </Stack>
    )
  }
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault()
        e.stopPropagation()
        void confirm().then((on) => on && onDone())
      }}
      noValidate
    >
      <Stack gap="sm">
        <Text size="sm">1. Scan this code with the authenticator app.</Text>
        <QrCodeImage svg={enrollment.qrSvg} label="QR code for your authenticator app" />
        <SecretReveal secret={enrollment.secret} />
        <TextInput
          label="2. Enter the 6-digit code the app shows"
          autoComplete="one-time-code"
          inputMode="numeric"
          data-autofocus
          {...codeField}
        />
        {failure && <ErrorAlert error={failure} title="Two-factor was not turned on" />}
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={onClose} disabled={busy}>
            Cancel
          </Button>
          <Button type="submit" loading={busy}>
            Turn on two-factor
          </Button>
        </Group>
      </Stack>
    </form>
  )
}
