/** Sentences the confirmation dialogs share, so every dialog counts sessions the same way. */

/** "bob's 2 sessions end now" / "bob's session ends now" / "bob has no live session to end". */
export function sessionsEnd(name: string, count: number | null): string {
  if (count === null) return `every session of ${name} ends now`
  if (count === 0) return `${name} has no live session to end`
  if (count === 1) return `${name}'s session ends now`
  return `${name}'s ${count} sessions end now`
}

export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`
