import { Checkbox, Fieldset, Group, Modal, SimpleGrid, Text, TextInput } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useState } from 'react'
import { contract } from '../../../../shared/contract'
import type { Permission } from '../../../../shared/permissions'
import { ActionForm } from '../../components/ActionForm'
import { fieldError } from '../../lib/field-error'
import { groupPermissions, verbOf } from '../../lib/permission-groups'
import { callApi } from '../../store/call'
import { plural } from '../../lib/words'

const shape = contract['roles.create'].input.shape
const GROUPS = groupPermissions()

interface Props {
  opened: boolean
  onClose: () => void
  onCreated: () => void
}

function CreateRoleForm({ onClose, onCreated }: Omit<Props, 'opened'>) {
  const [name, setName] = useState('')
  const [description, setDescription] = useState('')
  const [chosen, setChosen] = useState<Permission[]>([])
  const [attempted, setAttempted] = useState(false)
  const errors = {
    name: fieldError(shape.name, name),
    description: fieldError(shape.description, description),
    permissions: chosen.length === 0 ? 'Choose at least one permission.' : null,
  }
  const toggle = (p: Permission, on: boolean) => setChosen((c) => (on ? [...c, p] : c.filter((x) => x !== p)))

  return (
    <ActionForm
      tone="info"
      confirmLabel="Create role"
      validate={() => {
        setAttempted(true)
        return Object.values(errors).every((e) => e === null)
      }}
      consequence={
        <>
          Create the role {name.trim() || '…'} with {plural(chosen.length, 'permission')}. It can then be
          granted to accounts; the console has no call to change or remove a role afterwards.
        </>
      }
      run={() =>
        callApi('roles.create', { name: name.trim(), description: description.trim(), permissions: chosen })
      }
      onDone={(value) => {
        notifications.show({
          color: 'teal',
          title: `Role ${value.role.name} created`,
          message: `${plural(value.role.permissions.length, 'permission')}.`,
        })
        onCreated()
      }}
      onCancel={onClose}
    >
      <Group grow align="flex-start">
        <TextInput
          label="Name"
          description="Lower-case letters, digits and dashes"
          required
          data-autofocus
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={attempted ? errors.name : null}
        />
        <TextInput
          label="Description"
          description="What an account with this role does"
          required
          value={description}
          onChange={(e) => setDescription(e.currentTarget.value)}
          error={attempted ? errors.description : null}
        />
      </Group>
      <SimpleGrid cols={2} spacing="sm" verticalSpacing="sm">
        {GROUPS.map((g) => {
          const all = g.permissions.every((p) => chosen.includes(p))
          const some = g.permissions.some((p) => chosen.includes(p))
          return (
            <Fieldset key={g.domain} legend={g.domain} variant="filled" p="xs">
              <Checkbox
                size="xs"
                label="all"
                checked={all}
                indeterminate={some && !all}
                onChange={(e) => {
                  const on = e.currentTarget.checked
                  setChosen((c) =>
                    on ? [...new Set([...c, ...g.permissions])] : c.filter((x) => !g.permissions.includes(x)),
                  )
                }}
                mb={6}
                aria-label={`All ${g.domain} permissions`}
              />
              <Group gap="xs">
                {g.permissions.map((p) => (
                  <Checkbox
                    key={p}
                    size="xs"
                    label={verbOf(p)}
                    aria-label={p}
                    checked={chosen.includes(p)}
                    onChange={(e) => toggle(p, e.currentTarget.checked)}
                  />
                ))}
              </Group>
            </Fieldset>
          )
        })}
      </SimpleGrid>
      {attempted && errors.permissions && (
        <Text size="xs" c="red" role="alert">
          {errors.permissions}
        </Text>
      )}
    </ActionForm>
  )
}

/** A custom role from existing permissions, chosen by domain. */
export function CreateRoleDialog({ opened, onClose, onCreated }: Props) {
  return (
    <Modal opened={opened} onClose={onClose} title="Create a role" size="lg">
      <CreateRoleForm onClose={onClose} onCreated={onCreated} />
    </Modal>
  )
}
