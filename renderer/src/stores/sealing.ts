import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type {
  JobItemInfo,
  ModuleSuggestion,
  SealableBatch,
  SigningJobInfo,
  TokenCertificateInfo,
  TokenInfo,
  TokenSlotInfo,
} from '@contract/sealing'
import { api } from '@renderer/api'

const RECENT_JOBS = 20
const FAILED_ITEMS = 200

/** The token a job signs with, as the contract names it (serial first, the label as a fallback). */
export interface TokenChoice {
  serial?: string
  label?: string
}

/**
 * What starting a job sends. The PIN is handed straight to the API call and is never kept here:
 * the dialog that asked for it clears its own field once the call returns.
 */
export interface StartRequest {
  jobId: number
  modulePath: string
  token: TokenChoice
  pin: string
  confirmFinalTry: boolean
  timestamp: boolean
}

/** A token that can sign: SoftHSM2 and some vendors report an empty token (no label, no serial) in a spare slot. */
export function isInitialised(token: TokenInfo | null): token is TokenInfo {
  return token !== null && (token.serial !== '' || token.label !== '')
}

/**
 * Which of the inserted `tokens` to offer first: the `current` choice while it is still inserted,
 * else the first that `preferred` accepts (the key a seal was registered on), else the only one.
 */
export function defaultTokenSerial(tokens: TokenInfo[], current: string | null, preferred?: (token: TokenInfo) => boolean): string | null {
  if (tokens.some((token) => token.serial === current)) return current
  const registered = preferred ? tokens.find(preferred) : undefined
  if (registered) return registered.serial
  return tokens.length === 1 ? tokens[0].serial : null
}

/** Jobs that change by themselves (the run signs, the key is pulled out or put back): the job page polls them. */
export const LIVE_JOB_STATES: ReadonlyArray<SigningJobInfo['state']> = ['running', 'waiting_token', 'waiting_pin']

/** Jobs that are not finished: they can be paused, resumed or cancelled. */
export const OPEN_JOB_STATES: ReadonlyArray<SigningJobInfo['state']> = ['ready', 'running', 'paused', 'waiting_token', 'waiting_pin']

/**
 * The seal-key holder's desk (签章): the PKCS#11 modules configured on this machine (core would
 * also load a vendor module found on disk, but the desk only uses what someone chose to add) and the tokens they see,
 * the approved batches still missing one of the user's seals, signing jobs, and the job open on
 * the job page with its failed certificates.
 */
export const useSealingStore = defineStore('sealing', () => {
  const configured = ref<string[]>([])
  const suggestions = ref<ModuleSuggestion[]>([])
  const modulesLoading = ref(false)
  /** The module whose slots the desk shows and the start dialog offers. */
  const currentModule = ref<string | null>(null)
  const slots = ref<TokenSlotInfo[]>([])
  const slotsLoading = ref(false)
  /** Why the module's slots could not be read (the driver failed to load…), shown in the panel. */
  const slotsError = ref<unknown>(null)
  let slotsGeneration = 0

  const batches = ref<SealableBatch[]>([])
  const batchesLoading = ref(false)
  const jobs = ref<SigningJobInfo[]>([])
  const jobsLoading = ref(false)

  const job = ref<SigningJobInfo | null>(null)
  const failedItems = shallowRef<JobItemInfo[]>([])

  /** Slots holding an initialised token: some drivers report an empty, unlabelled token in a spare slot. */
  const tokens = computed(() => slots.value.filter((slot) => isInitialised(slot.token)))

  /** The current module stays while it is configured; otherwise the first configured one takes its place. */
  function keepCurrentModule(): void {
    if (!currentModule.value || !configured.value.includes(currentModule.value)) currentModule.value = configured.value[0] ?? null
  }

  function adopt(result: { configured: string[]; suggestions: ModuleSuggestion[] }): void {
    configured.value = result.configured
    suggestions.value = result.suggestions
    keepCurrentModule()
  }

  async function loadModules(): Promise<void> {
    modulesLoading.value = true
    try {
      adopt(await api.sealing.modules({}))
    } finally {
      modulesLoading.value = false
    }
  }

  /** Replaces the configured module paths; the current module follows a newly added one. */
  async function setModules(paths: string[], choose?: string): Promise<void> {
    configured.value = await api.sealing.setModules({ paths })
    if (choose) currentModule.value = choose
    keepCurrentModule()
  }

  function addModule(path: string): Promise<void> {
    return setModules([...configured.value.filter((item) => item !== path), path], path)
  }

  function removeModule(path: string): Promise<void> {
    return setModules(configured.value.filter((item) => item !== path))
  }

  /** Reads the slots of the current module again (a key may have been inserted since); a later call wins. */
  async function loadSlots(): Promise<void> {
    const modulePath = currentModule.value
    const generation = ++slotsGeneration
    slotsError.value = null
    if (!modulePath) {
      slots.value = []
      return
    }
    slotsLoading.value = true
    try {
      const found = await api.sealing.slots({ modulePath })
      if (generation === slotsGeneration) slots.value = found
    } catch (error) {
      if (generation !== slotsGeneration) return
      slots.value = []
      slotsError.value = error
      throw error
    } finally {
      if (generation === slotsGeneration) slotsLoading.value = false
    }
  }

  /** The slots of any usable module, without touching the desk's choice (the seal registry's dialog). */
  function slotsOf(modulePath: string): Promise<TokenSlotInfo[]> {
    return api.sealing.slots({ modulePath })
  }

  function tokenCertificates(modulePath: string, token: TokenChoice): Promise<TokenCertificateInfo[]> {
    return api.sealing.tokenCertificates({ modulePath, token })
  }

  async function loadBatches(): Promise<void> {
    batchesLoading.value = true
    try {
      batches.value = await api.sealing.batches({})
    } finally {
      batchesLoading.value = false
    }
  }

  async function loadJobs(): Promise<void> {
    jobsLoading.value = true
    try {
      jobs.value = await api.sealing.jobs({ limit: RECENT_JOBS })
    } finally {
      jobsLoading.value = false
    }
  }

  /** The job as core reports it now; also updates its row in the recent jobs. */
  function adoptJob(next: SigningJobInfo): SigningJobInfo {
    if (job.value === null || job.value.id === next.id) job.value = next
    const index = jobs.value.findIndex((item) => item.id === next.id)
    if (index >= 0) jobs.value.splice(index, 1, next)
    return next
  }

  async function openJob(jobId: number): Promise<SigningJobInfo> {
    if (job.value?.id !== jobId) {
      job.value = null
      failedItems.value = []
    }
    return adoptJob(await api.sealing.job({ jobId }))
  }

  function closeJob(): void {
    job.value = null
    failedItems.value = []
  }

  async function loadFailedItems(jobId: number): Promise<void> {
    const items = await api.sealing.jobItems({ jobId, state: 'failed', limit: FAILED_ITEMS })
    if (job.value?.id === jobId) failedItems.value = items
  }

  /** The batch's open job for this seal, or a new one listing the certificates still missing it. */
  async function createJob(batchId: number, sealId: number): Promise<SigningJobInfo> {
    const created = await api.sealing.createJob({ batchId, sealId })
    job.value = created
    failedItems.value = []
    return created
  }

  /** Logs in on the token once and starts signing. The request (and its PIN) is not kept. */
  async function start(request: StartRequest): Promise<SigningJobInfo> {
    return adoptJob(await api.sealing.start(request))
  }

  async function pause(jobId: number): Promise<SigningJobInfo> {
    return adoptJob(await api.sealing.pause({ jobId }))
  }

  /** Goes on after a pause; the PIN only when the job says it needs one. Not kept either. */
  async function resume(jobId: number, pin?: string, confirmFinalTry = false): Promise<SigningJobInfo> {
    return adoptJob(await api.sealing.resume({ jobId, ...(pin ? { pin } : {}), confirmFinalTry }))
  }

  async function cancel(jobId: number): Promise<SigningJobInfo> {
    return adoptJob(await api.sealing.cancel({ jobId }))
  }

  return {
    configured,
    suggestions,
    modulesLoading,
    currentModule,
    slots,
    slotsLoading,
    slotsError,
    tokens,
    batches,
    batchesLoading,
    jobs,
    jobsLoading,
    job,
    failedItems,
    loadModules,
    addModule,
    removeModule,
    loadSlots,
    slotsOf,
    tokenCertificates,
    loadBatches,
    loadJobs,
    openJob,
    closeJob,
    loadFailedItems,
    createJob,
    start,
    pause,
    resume,
    cancel,
  }
})
