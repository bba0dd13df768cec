import argon2 from 'argon2'

/**
 * argon2id with parameters well above OWASP's minimum (m=19 MiB, t=2, p=1). The parameters live in each hash
 * string; a verified hash with weaker parameters than these is flagged for rehash.
 */
export interface HashParams {
  memoryCost: number
  timeCost: number
  parallelism: number
}

/** Chosen by `npm run bench:auth` on the reference machine (2 cores): median verification ≈ 250 ms. */
export const DEFAULT_HASH_PARAMS: HashParams = { memoryCost: 131_072, timeCost: 2, parallelism: 1 }

export class PasswordHasher {
  private dummy: Promise<string> | null = null

  constructor(private readonly params: HashParams = DEFAULT_HASH_PARAMS) {}

  hash(password: string): Promise<string> {
    return argon2.hash(password, { type: argon2.argon2id, ...this.params })
  }

  async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash, password)
    } catch {
      return false
    }
  }

  /** Spend the same time as a real verification when the account does not exist. */
  async verifyDummy(password: string): Promise<void> {
    this.dummy ??= this.hash('qqsec-dummy-password-for-timing')
    await this.verify(await this.dummy, password)
  }

  needsRehash(hash: string): boolean {
    return argon2.needsRehash(hash, { ...this.params })
  }
}
