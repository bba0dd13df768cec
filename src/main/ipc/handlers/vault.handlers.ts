import { DomainError } from '../../domain-error'
import type { Actor, ImportSource } from '../../engines/vault/vault.service'
import type { UploadOwner } from '../../engines/vault/vault-uploads'
import type { HandlerContext } from '../pipeline'
import { me, noPathsFromBrowser, type DomainHandlers, type HandlerDeps } from './handler-deps'

/** Largest state returned inside a response (export/share without a path): browser mode and the desktop UI. */
const MAX_INLINE_BYTES = 8 * 1024 * 1024

const actorOf = (ctx: HandlerContext): Actor => {
  const s = me(ctx)
  return { userId: s.userId, userName: s.userName, roles: s.roles, client: ctx.caller.client }
}

const uploaderOf = (ctx: HandlerContext): UploadOwner => {
  const s = me(ctx)
  return { userId: s.userId, userName: s.userName, sessionId: s.id }
}

/** The vault: import, list, show, export, share, verify, rotate keys, delete — each checked for ownership. */
export function vaultHandlers(d: HandlerDeps): DomainHandlers<'vault'> {
  const { vault, jobs } = d
  // An upload ends with its session: sign-out, expiry or revocation (checked by the uploads' sweep).
  vault.uploads.sessionAlive = (userId, sessionId) =>
    d.auth.listSessions(userId).some((s) => s.id === sessionId)
  return {
    'vault.uploadBegin': (input, ctx) => {
      const r = vault.uploads.begin(uploaderOf(ctx), input.fileName, input.size)
      ctx.audit.resource = `vault-upload:${r.uploadId}`
      ctx.audit.details = { dataType: 'quantum', fileName: input.fileName, size: input.size }
      return r
    },
    'vault.uploadChunk': (input, ctx) => {
      ctx.audit.resource = `vault-upload:${input.uploadId}`
      ctx.audit.details = { dataType: 'quantum', offset: input.offset }
      const data = Buffer.from(input.content, 'base64')
      if (
        data.length !==
        Math.floor((input.content.length * 3) / 4) - (input.content.match(/=+$/)?.[0].length ?? 0)
      )
        throw new DomainError('INVALID_INPUT', 'content must be base64 (its length is not a multiple of 4).')
      return vault.uploads.chunk(uploaderOf(ctx), input.uploadId, input.offset, data)
    },
    'vault.uploadAbort': (input, ctx) => {
      ctx.audit.resource = `vault-upload:${input.uploadId}`
      const u = vault.uploads.abort(uploaderOf(ctx), input.uploadId)
      ctx.audit.details = { dataType: 'quantum', fileName: u.fileName, size: u.size, received: u.received }
      return { aborted: true as const, received: u.received }
    },
    'vault.import': (input, ctx) => {
      const actor = actorOf(ctx)
      noPathsFromBrowser(ctx, input.path, 'the file comes from the page (pick or drop it)')
      const staged = input.uploadId !== undefined ? vault.uploads.take(uploaderOf(ctx), input.uploadId) : null
      const source: ImportSource =
        input.path !== undefined
          ? { path: input.path }
          : staged
            ? { upload: staged }
            : { content: Buffer.from(input.content ?? '', 'base64'), fileName: input.fileName ?? 'upload' }
      const from = input.path !== undefined ? 'path' : staged ? 'upload' : 'content'
      ctx.audit.details = {
        dataType: 'quantum',
        from,
        ...(staged ? { uploadId: staged.uploadId, fileName: staged.fileName, size: staged.size } : {}),
      }
      const current = staged?.fileName ?? input.fileName ?? input.path
      try {
        return jobs.start(
          'vault.import',
          actor.userId,
          async (job) => {
            let imported = false
            try {
              const s = await vault.importState(actor, source, {
                name: input.name,
                classification: input.classification,
                tags: input.tags,
                labels: input.labels,
                normalize: input.normalize,
                signal: job.signal,
                onProgress: (done, total) => job.progress({ done, total, current }),
              })
              imported = true
              return { stateId: s.id, name: s.name, qubits: s.qubits, size: s.size }
            } finally {
              // imported: the staged file goes; refused or cancelled: it stays for another try (e.g. normalize)
              if (staged) vault.uploads.release(staged.uploadId, imported)
            }
          },
          'bytes',
        )
      } catch (e) {
        if (staged) vault.uploads.release(staged.uploadId, false)
        throw e
      }
    },
    'vault.list': (input, ctx) => {
      ctx.audit.details = { dataType: 'quantum', search: input.search !== undefined }
      return { states: vault.list(actorOf(ctx), input.search) }
    },
    'vault.get': (input, ctx) => {
      ctx.audit.resource = `vault:${input.stateId}`
      ctx.audit.details = { dataType: 'quantum' }
      return vault.get(actorOf(ctx), input.stateId)
    },
    'vault.export': async (input, ctx) => {
      ctx.audit.resource = `vault:${input.stateId}`
      ctx.audit.details = { dataType: 'quantum', format: input.format }
      noPathsFromBrowser(ctx, input.path, 'the page downloads the file')
      const actor = actorOf(ctx)
      if (input.path !== undefined) {
        const { bytes } = await vault.exportTo(actor, input.stateId, input.path, input.format)
        return { bytes, path: input.path, content: null }
      }
      const buf = await vault.exportContent(actor, input.stateId, input.format, MAX_INLINE_BYTES)
      return { bytes: buf.length, path: null, content: buf.toString('base64') }
    },
    'vault.share': async (input, ctx) => {
      ctx.audit.resource = `vault:${input.stateId}`
      ctx.audit.details = { dataType: 'quantum', recipients: input.recipients.length }
      noPathsFromBrowser(ctx, input.path, 'the page downloads the file')
      const actor = actorOf(ctx)
      if (input.path !== undefined) {
        const { bytes } = await vault.share(actor, input.stateId, input.recipients, input.path)
        return { bytes, path: input.path, content: null }
      }
      const buf = await vault.shareContent(actor, input.stateId, input.recipients, MAX_INLINE_BYTES)
      return { bytes: buf.length, path: null, content: buf.toString('base64') }
    },
    'vault.verify': (input, ctx) => {
      const actor = actorOf(ctx)
      ctx.audit.details = { dataType: 'quantum', states: input.stateIds?.length ?? 'all' }
      return jobs.start(
        'vault.verify',
        actor.userId,
        async (job) => {
          const results = await vault.verify(actor, input.stateIds ?? null, {
            signal: job.signal,
            onProgress: (done, total, current) => job.progress({ done, total, current }),
          })
          const problems = results.filter((r) => !r.ok)
          return { checked: results.length, ok: results.length - problems.length, problems }
        },
        'states',
      )
    },
    'vault.rotateKeys': (input, ctx) => {
      const actor = actorOf(ctx)
      ctx.audit.resource = 'vault'
      ctx.audit.details = { dataType: 'quantum', keyType: input.keyType ?? 'unchanged' }
      vault.assertMayRotate(actor)
      // taken now, so a second rotation (here or in another process) is refused at once, not as a failed job
      const lock = vault.lockRotation(actor)
      try {
        return jobs.start(
          'vault.rotateKeys',
          actor.userId,
          async (job) =>
            vault.rotateKeys(actor, {
              kind: input.keyType,
              signal: job.signal,
              onProgress: (done, total) => job.progress({ done, total }),
              lock,
            }),
          'files',
        )
      } catch (e) {
        lock.release()
        throw e
      }
    },
    'vault.delete': (input, ctx) => {
      ctx.audit.resource = `vault:${input.stateId}`
      ctx.audit.details = { dataType: 'quantum' }
      vault.delete(actorOf(ctx), input.stateId)
      return { deleted: true as const }
    },
  }
}
