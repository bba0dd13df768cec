import { Group, TextInput, Textarea } from '@mantine/core'
import { useState } from 'react'
import { contract } from '../../../shared/contract'
import { fieldError } from '../lib/field-error'
import { useAppStore } from '../store'

const input = contract['waivers.create'].input.shape

const dayIn = (days: number): string => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10)
/** The last day a waiver may run to: three years from today. */
const maxDay = (): string => {
  const d = new Date()
  d.setUTCFullYear(d.getUTCFullYear() + 3)
  d.setUTCDate(d.getUTCDate() - 1)
  return d.toISOString().slice(0, 10)
}

type Term = 'reason' | 'owner' | 'approver' | 'expires'

/**
 * The terms every waiver of the console carries, whatever it accepts (a finding, a threat's client or rule): a
 * reason, an owner (you, by default), an optional approver and an expiry date within three years.
 */
export function useWaiverTerms(defaultDays: number) {
  const me = useAppStore((s) => s.session?.user.name ?? '')
  const [values, setValues] = useState<Record<Term, string>>({
    reason: '',
    owner: me,
    approver: '',
    expires: dayIn(defaultDays),
  })
  const [errors, setErrors] = useState<Partial<Record<Term, string | null>>>({})
  return {
    values,
    errors,
    set: (t: Term, v: string) => setValues((x) => ({ ...x, [t]: v })),
    /** Show what is wrong; true when the terms can be sent. */
    validate: (): boolean => {
      const { reason, owner, approver, expires } = values
      const next = {
        reason: fieldError(input.reason, reason),
        owner: fieldError(input.owner, owner),
        approver: approver.trim() ? fieldError(input.approver, approver) : null,
        expires:
          fieldError(input.expiresAt, expires) ??
          (expires <= dayIn(0)
            ? 'Give a date in the future'
            : expires > maxDay()
              ? 'At most 3 years from today'
              : null),
      }
      setErrors(next)
      return Object.values(next).every((e) => e === null)
    },
    /** The terms as `waivers.create` takes them. */
    toInput: () => ({
      reason: values.reason.trim(),
      owner: values.owner.trim(),
      ...(values.approver.trim() ? { approver: values.approver.trim() } : {}),
      expiresAt: values.expires,
    }),
  }
}

export type WaiverTerms = ReturnType<typeof useWaiverTerms>

/** Reason, then owner, approver and expiry side by side. */
export function WaiverTermsFields({ terms, reasonHint }: { terms: WaiverTerms; reasonHint: string }) {
  const { values, errors, set } = terms
  return (
    <>
      <Textarea
        label="Reason"
        description={`${reasonHint} (at least 5 characters)`}
        autosize
        minRows={2}
        required
        value={values.reason}
        onChange={(e) => set('reason', e.currentTarget.value)}
        error={errors.reason}
        data-autofocus
      />
      <Group grow align="flex-start">
        <TextInput
          label="Owner"
          required
          value={values.owner}
          onChange={(e) => set('owner', e.currentTarget.value)}
          error={errors.owner}
        />
        <TextInput
          label="Approver"
          description="optional"
          value={values.approver}
          onChange={(e) => set('approver', e.currentTarget.value)}
          error={errors.approver}
        />
        <TextInput
          label="Expires"
          type="date"
          description="at most 3 years"
          min={dayIn(1)}
          max={maxDay()}
          required
          value={values.expires}
          onChange={(e) => set('expires', e.currentTarget.value)}
          error={errors.expires}
        />
      </Group>
    </>
  )
}
