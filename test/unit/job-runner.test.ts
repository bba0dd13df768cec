import { describe, expect, it } from 'vitest'
import { DomainError } from '../../src/main/domain-error'
import { JobRunner, throwIfCancelled } from '../../src/main/engines/jobs/job-runner'
import { systemClock } from '../../src/main/platform/clock'

const tick = () => new Promise((r) => setTimeout(r, 5))

describe('long operations as jobs', () => {
  it('reports progress and the result to the account that started the job', async () => {
    const jobs = new JobRunner(systemClock)
    let release: () => void = () => {}
    const gate = new Promise<void>((r) => (release = r))
    const started = jobs.start(
      'test.count',
      'u1',
      async (ctx) => {
        ctx.progress({ done: 3, total: 10, current: 'file-3' })
        await gate
        ctx.progress({ done: 10 })
        return { counted: 10 }
      },
      'files',
    )
    expect(started.state).toBe('running')
    await tick()
    expect(jobs.get(started.id, 'u1').progress).toMatchObject({
      done: 3,
      total: 10,
      unit: 'files',
      current: 'file-3',
    })
    expect(() => jobs.get(started.id, 'u2')).toThrow(DomainError) // another account sees nothing
    release()
    const end = await jobs.wait(started.id, 'u1')
    expect(end).toMatchObject({
      state: 'done',
      result: { counted: 10 },
      error: null,
      progress: { done: 10, total: 10 },
    })
    expect(end.endedAt).not.toBeNull()
  })

  it('cancels: the work sees the signal and the job ends cancelled', async () => {
    const jobs = new JobRunner(systemClock)
    const j = jobs.start('test.loop', 'u1', async (ctx) => {
      for (let i = 0; ; i++) {
        throwIfCancelled(ctx.signal)
        ctx.progress({ done: i })
        await tick()
      }
    })
    await tick()
    jobs.cancel(j.id, 'u1')
    expect((await jobs.wait(j.id, 'u1')).state).toBe('cancelled')
  })

  it('keeps expected failures as values and hides unexpected ones', async () => {
    const jobs = new JobRunner(systemClock)
    const logged: string[] = []
    jobs.onInternalError = (kind) => logged.push(kind)
    const a = jobs.start('test.bad-input', 'u1', async () => {
      throw new DomainError('INVALID_INPUT', 'The file is not a state.')
    })
    const b = jobs.start('test.bug', 'u1', async () => {
      throw new Error('secret internals')
    })
    expect((await jobs.wait(a.id, 'u1')).error).toEqual({
      code: 'INVALID_INPUT',
      message: 'The file is not a state.',
    })
    const bug = await jobs.wait(b.id, 'u1')
    expect(bug.error?.code).toBe('INTERNAL')
    expect(bug.error?.message).not.toContain('secret internals')
    expect(logged).toEqual(['test.bug'])
    expect(
      jobs
        .list('u1')
        .map((j) => j.kind)
        .sort(),
    ).toEqual(['test.bad-input', 'test.bug'])
  })
})
