import { Tabs } from '@mantine/core'
import { ClipboardCheck, ShieldHalf, Users } from 'lucide-react'
import { MissingPermission } from '../../components/MissingPermission'
import { ViewHeader } from '../../components/ViewHeader'
import { navigate, pathWithQuery, useHashLocation } from '../../lib/hash-router'
import { useCan } from '../../lib/permissions'
import { AccessReviewTab } from './AccessReviewTab'
import { AccountsTab } from './AccountsTab'
import { RolesTab } from './RolesTab'

const TABS = ['accounts', 'review', 'roles'] as const
type Tab = (typeof TABS)[number]
const isTab = (v: string | null): v is Tab => v !== null && (TABS as readonly string[]).includes(v)

const DESCRIPTION: Record<Tab, string> = {
  accounts: 'Local accounts of this console, their roles, two-factor, lock state and sessions.',
  review: 'Who can do what: every account with its roles, two-factor, last sign-in and warning flags.',
  roles: 'Built-in and custom roles and the permissions each grants.',
}

export function UsersView() {
  const allowed = useCan('users:read')
  const { query } = useHashLocation()
  const raw = query.get('tab')
  const tab: Tab = isTab(raw) ? raw : 'accounts'
  const selected = query.get('user')

  if (!allowed) {
    return (
      <>
        <ViewHeader title="Users" description={DESCRIPTION.accounts} />
        <MissingPermission permission="users:read" what="The list of accounts" />
      </>
    )
  }

  // The tab and the open account live in the address, so a view can be bookmarked and Back works.
  const go = (next: { tab?: Tab; user?: string | null }) =>
    navigate(
      pathWithQuery('users', {
        tab: (next.tab ?? tab) === 'accounts' ? null : (next.tab ?? tab),
        user: next.user === undefined ? selected : next.user,
      }),
    )

  return (
    <>
      <ViewHeader title="Users" description={DESCRIPTION[tab]} />
      <Tabs
        value={tab}
        onChange={(v) => isTab(v) && go({ tab: v, user: v === 'accounts' ? selected : null })}
        keepMounted={false}
      >
        <Tabs.List mb="md">
          <Tabs.Tab value="accounts" leftSection={<Users size={14} aria-hidden />}>
            Accounts
          </Tabs.Tab>
          <Tabs.Tab value="review" leftSection={<ClipboardCheck size={14} aria-hidden />}>
            Access review
          </Tabs.Tab>
          <Tabs.Tab value="roles" leftSection={<ShieldHalf size={14} aria-hidden />}>
            Roles
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="accounts">
          <AccountsTab selectedId={selected} onSelect={(id) => go({ user: id })} />
        </Tabs.Panel>
        <Tabs.Panel value="review">
          <AccessReviewTab />
        </Tabs.Panel>
        <Tabs.Panel value="roles">
          <RolesTab />
        </Tabs.Panel>
      </Tabs>
    </>
  )
}
