import { Modal, MultiSelect, PasswordInput, Stack, TextInput } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useState } from 'react'
import type { RoleView, UserView } from '../../../../shared/contract'
import { accountName, email as emailSchema } from '../../../../shared/schemas'
import { ActionForm } from '../../components/ActionForm'
import { fieldError } from '../../lib/field-error'
import { callApi } from '../../store/call'
import { PasswordStrength } from '../auth/PasswordStrength'
import { newPasswordError, usePasswordVerdict } from '../auth/use-password-verdict'

type Field = 'name' | 'email' | 'password' | 'roles'

interface Props {
  opened: boolean
  roles: readonly RoleView[] | null
  onClose: () => void
  onCreated: (user: UserView) => void
}

function CreateAccountForm({ roles, onClose, onCreated }: Omit<Props, 'opened'>) {
  const [name, setName] = useState('')
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [chosen, setChosen] = useState<string[]>(['user'])
  const [touched, setTouched] = useState<Partial<Record<Field, boolean>>>({})
  const verdict = usePasswordVerdict(password, name, email)
  const errors: Record<Field, string | null> = {
    name: fieldError(accountName, name),
    email: email.trim() === '' ? null : fieldError(emailSchema, email),
    password: newPasswordError(password, verdict),
    roles: null,
  }
  const shown = (f: Field) => (touched[f] ? errors[f] : null)
  const touch = (f: Field, value: string) => () => setTouched((t) => ({ ...t, [f]: t[f] || value !== '' }))
  const shownName = name.trim() || 'the new account'
  const roleWords =
    chosen.length === 0
      ? 'no role (it can sign in but do nothing)'
      : `the ${chosen.length === 1 ? 'role' : 'roles'} ${chosen.join(', ')}`

  return (
    <ActionForm
      tone="info"
      confirmLabel="Create account"
      validate={() => {
        setTouched({ name: true, email: true, password: true })
        return Object.values(errors).every((e) => e === null)
      }}
      consequence={
        <>
          Create {shownName} with {roleWords}. {shownName} can sign in at once with this password; give it
          over a safe channel.
        </>
      }
      run={() =>
        callApi('users.create', {
          name: name.trim(),
          password,
          roles: chosen,
          ...(email.trim() ? { email: email.trim() } : {}),
        })
      }
      onDone={(value) => {
        notifications.show({
          color: 'teal',
          title: `${value.user.name} created`,
          message: `Roles: ${value.user.roles.join(', ') || 'none'}.`,
        })
        onCreated(value.user)
      }}
      onCancel={onClose}
    >
      <TextInput
        label="Account name"
        description="Lower-case letters, digits, dot, dash and underscore"
        autoComplete="off"
        required
        data-autofocus
        value={name}
        onChange={(e) => setName(e.currentTarget.value)}
        onBlur={touch('name', name)}
        error={shown('name')}
      />
      <TextInput
        label="E-mail (optional)"
        type="email"
        autoComplete="off"
        value={email}
        onChange={(e) => setEmail(e.currentTarget.value)}
        onBlur={touch('email', email)}
        error={shown('email')}
      />
      <Stack gap={6}>
        <PasswordInput
          label="Initial password"
          autoComplete="new-password"
          required
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
          onBlur={touch('password', password)}
          error={shown('password')}
        />
        <PasswordStrength state={verdict} />
      </Stack>
      <MultiSelect
        label="Roles"
        description="You can grant only roles whose permissions you hold yourself"
        placeholder={roles === null ? 'Loading roles…' : chosen.length === 0 ? 'No role' : undefined}
        data={(roles ?? [{ name: 'user' }]).map((r) => ({ value: r.name, label: r.name }))}
        value={chosen}
        onChange={setChosen}
        comboboxProps={{ withinPortal: true }}
      />
    </ActionForm>
  )
}

/** A new local account: name, optional e-mail, an initial password checked live against the policy, roles. */
export function CreateAccountDialog({ opened, onClose, ...rest }: Props) {
  return (
    <Modal opened={opened} onClose={onClose} title="Create an account" size="md">
      <CreateAccountForm onClose={onClose} {...rest} />
    </Modal>
  )
}
