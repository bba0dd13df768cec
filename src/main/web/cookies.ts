/** Parse a Cookie header into a map (first value wins; malformed pairs are skipped). */
export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>()
  if (!header) return out
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq <= 0) continue
    const name = part.slice(0, eq).trim()
    const value = part.slice(eq + 1).trim()
    if (!out.has(name) && /^[A-Za-z0-9_-]+$/.test(name)) out.set(name, value)
  }
  return out
}

/** HttpOnly, SameSite=Strict cookie; loopback HTTP cannot carry `Secure`. */
export function cookie(name: string, value: string, path: string, maxAgeSeconds?: number): string {
  const parts = [`${name}=${value}`, `Path=${path}`, 'HttpOnly', 'SameSite=Strict']
  if (maxAgeSeconds !== undefined) parts.push(`Max-Age=${maxAgeSeconds}`)
  return parts.join('; ')
}
