import { useState } from 'react'

type Errors<F extends string> = Record<F, string | null>

/**
 * Text fields of one form: their values, which ones were touched, and the props that bind an input to a field.
 * An error shows once its field was left non-empty or the form was submitted: leaving an empty field says nothing
 * yet; submitting does.
 */
export function useFormFields<F extends string>(initial: Record<F, string>) {
  const [values, setValues] = useState<Record<F, string>>(initial)
  const [touched, setTouched] = useState<Partial<Record<F, boolean>>>({})
  const update = (f: F) => (e: { currentTarget: { value: string } }) => {
    const value = e.currentTarget.value
    setValues((v) => ({ ...v, [f]: value }))
  }
  const touch = (f: F) => () => setTouched((t) => ({ ...t, [f]: t[f] || values[f] !== '' }))
  return {
    values,
    setValues,
    setTouched,
    /** Show every field's error (on submit). */
    touchAll: () =>
      setTouched(Object.fromEntries(Object.keys(values).map((k) => [k, true])) as Record<F, boolean>),
    /** value, onChange, onBlur and error for an input of field `f`. */
    bind: (f: F, errors: Errors<F>) => ({
      value: values[f],
      onChange: update(f),
      onBlur: touch(f),
      error: touched[f] ? errors[f] : null,
    }),
  }
}

/** True when no field has an error. */
export const allValid = <F extends string>(errors: Errors<F>): boolean =>
  Object.values<string | null>(errors).every((e) => e === null)
