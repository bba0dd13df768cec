import { z } from 'zod'
import type { ConsoleApi } from '../../../shared/api'
import { CALL_NAMES, contract, type CallName } from '../../../shared/contract'
import { ERROR_CODES, err, ok, type Result } from '../../../shared/result'
import { unavailable } from './unavailable'

const HINT = 'check that `qqsec serve` is still running.'

const envelope = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({
    ok: z.literal(false),
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  }),
])

const knownCode = (code: string): (typeof ERROR_CODES)[number] =>
  (ERROR_CODES as readonly string[]).includes(code) ? (code as (typeof ERROR_CODES)[number]) : 'INTERNAL'

/**
 * Browser mode: one POST per call to the loopback server. The session is an HttpOnly cookie the page never
 * sees; call-level failures come back as 200 with `ok: false`, transport refusals with other statuses.
 */
async function post(name: CallName, input: unknown): Promise<Result<unknown>> {
  let response: Response
  try {
    response = await fetch(`/api/${name}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(input ?? {}),
      credentials: 'same-origin',
    })
  } catch (cause) {
    return unavailable(cause, HINT)
  }
  let body: unknown
  try {
    body = await response.json()
  } catch {
    return unavailable(`HTTP ${response.status} without a JSON answer`, HINT)
  }
  const parsed = envelope.safeParse(body)
  if (!parsed.success) return unavailable(`HTTP ${response.status} with an answer of an unknown shape`, HINT)
  const answer = parsed.data
  if (!answer.ok) return err(knownCode(answer.error.code), answer.error.message, answer.error.details)
  // The server already checks outputs; checking again keeps a wrong answer from reaching a screen as data.
  const value = contract[name].output.safeParse(answer.value)
  if (!value.success) return err('INTERNAL', `The console's answer to ${name} does not match the contract.`)
  return ok(value.data)
}

/**
 * One function per contract call, built from the contract's own list so a new call needs no edit here.
 * The cast is the one place the per-call types are asserted; `post` checks each answer against the schema.
 */
export const httpApi = Object.fromEntries(
  CALL_NAMES.map((name) => [name, (input: unknown) => post(name, input)]),
) as ConsoleApi
