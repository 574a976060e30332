import type { Contract, DomainName } from '../../contract'
import type { OutputOf, ParsedInputOf } from '../../contract/method'
import type { Core } from '../app'
import type { Actor } from '../users/access'

/**
 * What a handler gets besides its validated input. `actor` is null only for public methods
 * called without a session; services check roles themselves.
 */
export interface HandlerContext {
  actor: Actor | null
  sessionId: string | null
  /** Login and logout tell the transport to remember or forget a session. */
  setSession(sessionId: string | null): void
}

export type Handlers = {
  [D in DomainName]: {
    [M in keyof Contract[D]]: (context: HandlerContext, input: ParsedInputOf<Contract[D][M]>) => Promise<OutputOf<Contract[D][M]>>
  }
}

/** The contract implemented over core: adapters only, every rule lives in the services. */
export function createHandlers(core: Core): Handlers {
  return {
    auth: {
      status: () => core.auth.status(),
      setup: async (context, input) => {
        const { sessionId, user } = await core.auth.setup(input)
        context.setSession(sessionId)
        return { user }
      },
      login: async (context, input) => {
        await core.auth.logout(context.sessionId)
        const { sessionId, user } = await core.auth.login(input.username, input.password)
        context.setSession(sessionId)
        return { user }
      },
      logout: async (context) => {
        await core.auth.logout(context.sessionId)
        context.setSession(null)
        return null
      },
      me: (context) => core.auth.me(context.sessionId),
      changePassword: async (context, input) => {
        await core.auth.changePassword(context.actor, context.sessionId, input.currentPassword, input.newPassword)
        return null
      },
    },
    organisations: {
      list: (context, input) => core.organisations.list(context.actor, input),
      create: (context, input) => core.organisations.create(context.actor, input),
      update: (context, input) => core.organisations.update(context.actor, input),
      grants: (context, input) => core.organisations.grants(context.actor, input),
      setGrants: (context, input) => core.organisations.setGrants(context.actor, input),
    },
    users: {
      list: (context, input) => core.users.list(context.actor, input),
      create: (context, input) => core.users.create(context.actor, input),
      update: (context, input) => core.users.update(context.actor, input),
      resetPassword: (context, input) => core.users.resetPassword(context.actor, input.id),
    },
    settings: {
      get: (context) => core.settings.get(context.actor),
      update: (context, input) => core.settings.update(context.actor, input.key, input.value),
    },
    audit: {
      list: (context, input) => core.auditService.list(context.actor, input),
      verify: (context) => core.auditService.verify(context.actor),
    },
    dashboard: {
      summary: (context) => core.dashboard.summary(context.actor),
    },
    certificates: {
      list: (context, input) => core.certificates.list(context.actor, input),
      preview: (context, input) => core.certificates.preview(context.actor, input.number, input.version, input.document),
      search: (context, input) => core.register.search(context.actor, input),
      detail: (context, input) => core.register.detail(context.actor, input.number),
      history: (context, input) => core.register.history(context.actor, input.number, input),
    },
    integrity: {
      record: (context, input) => core.integrity.record(context.actor, input),
      list: (context, input) => core.integrity.list(context.actor, input),
      evidence: (context, input) => core.integrity.evidence(context.actor, input.id),
    },
    seals: {
      getAppearance: (context, input) => core.sealAppearances.get(context.actor, input.organisationId),
      setAppearance: (context, input) => core.sealAppearances.set(context.actor, input.organisationId, input.pngBase64),
      removeAppearance: async (context, input) => {
        await core.sealAppearances.remove(context.actor, input.organisationId)
        return null
      },
      list: (context, input) => core.sealRegistry.list(context.actor, input),
      register: (context, input) => core.sealRegistry.register(context.actor, input),
      update: (context, input) => core.sealRegistry.update(context.actor, input),
      appearance: (context, input) => core.sealRegistry.appearance(context.actor, input.id),
    },
    sealing: {
      modules: (context) => core.tokens.modules(context.actor),
      setModules: (context, input) => core.tokens.setModules(context.actor, input.paths),
      slots: (context, input) => core.tokens.slots(context.actor, input.modulePath),
      tokenCertificates: (context, input) => core.tokens.certificates(context.actor, input.modulePath, input.token),
      batches: (context) => core.sealing.batches(context.actor),
      jobs: (context, input) => core.sealing.jobs(context.actor, input),
      job: (context, input) => core.sealing.job(context.actor, input.jobId),
      jobItems: (context, input) => core.sealing.jobItems(context.actor, input.jobId, input.state, input.limit),
      createJob: (context, input) => core.sealing.createJob(context.actor, input.batchId, input.sealId),
      start: (context, input) => core.sealing.start(context.actor, input),
      pause: (context, input) => core.sealing.pause(context.actor, input.jobId),
      resume: (context, input) => core.sealing.resume(context.actor, input),
      cancel: (context, input) => core.sealing.cancel(context.actor, input.jobId),
    },
    verification: {
      verify: (context, input) => core.verification.verify(context.actor, input.uploadId),
    },
    sync: {
      status: (context) => core.sync.status(context.actor),
      items: (context, input) => core.sync.items(context.actor, input),
      retry: (context, input) => core.sync.retry(context.actor, input.ids),
      runNow: (context) => core.sync.runNow(context.actor),
    },
    revocations: {
      template: (context) => core.revocations.template(context.actor),
      record: (context, input) => core.revocations.record(context.actor, input),
      list: (context, input) => core.revocations.list(context.actor, input),
      get: (context, input) => core.revocations.get(context.actor, input.id),
      document: (context, input) => core.revocations.document(context.actor, input.id),
      approve: (context, input) => core.revocations.approve(context.actor, input.id),
      reject: (context, input) => core.revocations.reject(context.actor, input.id, input.reason),
      execute: (context, input) => core.revocations.execute(context.actor, input.id),
    },
    filings: {
      unfiled: (context, input) => core.filings.unfiled(context.actor, input),
      list: (context, input) => core.filings.list(context.actor, input),
      record: (context, input) => core.filings.record(context.actor, input),
      document: (context, input) => core.filings.document(context.actor, input.filingId, input.kind),
    },
    corrections: {
      template: (context) => core.corrections.template(context.actor),
      import: (context, input) => core.corrections.importUploaded(context.actor, input),
      queues: (context) => core.corrections.queues(context.actor),
      list: (context, input) => core.corrections.list(context.actor, input),
      get: (context, input) => core.corrections.get(context.actor, input.id),
      photo: (context, input) => core.corrections.photo(context.actor, input.rowId, input.which),
      document: (context, input) => core.corrections.document(context.actor, input.requestId, input.kind, input.fileName),
      decide: (context, input) => core.corrections.decide(context.actor, input.requestId, input.rows, input.reason),
      apply: (context, input) => core.corrections.apply(context.actor, input.requestId),
    },
    legacy: {
      desk: (context) => core.legacy.records.desk(context.actor),
      template: (context, input) => core.legacy.imports.template(context.actor, input.family),
      organisations: (context, input) => core.legacy.imports.organisations(context.actor, input.family),
      import: (context, input) => core.legacy.imports.importUploaded(context.actor, input),
      list: (context, input) => core.legacy.records.list(context.actor, input),
      record: (context, input) => core.legacy.records.record(context.actor, input.id),
      issueSlip: (context, input) => core.legacy.slips.issue(context.actor, input.certificateId, input.reason),
      slips: (context, input) => core.legacy.slips.list(context.actor, input.queue, input.limit),
      recheck: (context, input) =>
        core.legacy.slips.recheck(context.actor, input.slipId, input.decision, input.decision === 'refuse' ? input.reason : null),
      slipDocument: (context, input) => core.legacy.slips.document(context.actor, input.slipId),
      lookupSlip: (context, input) => core.legacy.slips.lookup(context.actor, input.number),
    },
    uploads: {
      begin: (context, input) => core.uploads.begin(context.actor, input.purpose),
      append: (context, input) => core.uploads.append(context.actor, input.id, input.file, input.offset, input.dataBase64),
      finish: (context, input) => core.uploads.finish(context.actor, input.id),
      discard: (context, input) => core.uploads.discard(context.actor, input.id),
    },
    applications: {
      template: (context, input) => core.imports.template(context.actor, input.family),
      applyingOrganisations: (context) => core.imports.applyingOrganisations(context.actor),
      import: (context, input) => core.imports.importUploaded(context.actor, input),
      queues: (context) => core.review.queues(context.actor),
      list: (context, input) => core.review.list(context.actor, input),
      get: (context, input) => core.review.get(context.actor, input.id),
      applicants: (context, input) => core.review.applicants(context.actor, input.batchId),
      issues: (context, input) => core.review.issues(context.actor, input.batchId),
      photo: (context, input) => core.review.photo(context.actor, input.applicantId),
      notice: (context, input) => core.review.notice(context.actor, input.batchId),
      acknowledge: (context, input) => core.review.acknowledge(context.actor, input.batchId, input.issueIds),
      exclude: (context, input) => core.review.exclude(context.actor, input.batchId, input.applicantIds, input.reason),
      include: (context, input) => core.review.include(context.actor, input.batchId, input.applicantIds),
      approve: (context, input) => core.review.approve(context.actor, input.batchId),
      returnBatch: (context, input) => core.review.returnBatch(context.actor, input.batchId, input.reason),
      errorWorkbook: (context, input) => core.review.errorWorkbook(context.actor, input.batchId),
      productionList: (context, input) => core.review.productionList(context.actor, input.batchId, input.format),
    },
  }
}
