import type { Core } from '../../electron/core/app'
import type { Actor } from '../../electron/core/users/access'
import { startTestRegistry, type TestRegistry } from './registry-server'

/**
 * A reference registry for a core: started in process, the core's own client identity (its
 * Ed25519 key, made on first use) registered by the registry's operator for every organisation,
 * and the core pointed at it.
 */
export async function connectRegistry(core: Core, admin: Actor, organisationCode = '*'): Promise<TestRegistry> {
  const registry = await startTestRegistry()
  await registerCore(core, admin, registry, organisationCode)
  await core.settings.update(admin, 'registry.baseUrl', registry.url)
  return registry
}

/** Registers (or re-registers, e.g. for another organisation) the core's client at the registry. */
export async function registerCore(core: Core, admin: Actor, registry: TestRegistry, organisationCode: string): Promise<void> {
  const status = await core.sync.status(admin)
  const answer = await registry.admin('POST', '/_admin/clients', {
    clientId: status.clientId,
    organisationCode,
    publicKeyPem: status.publicKeyPem,
  })
  if (answer.status !== 200 && answer.status !== 201) throw new Error(`registering the core's client failed: ${answer.text()}`)
}

/** What the registry holds of a certificate (/_admin/certificates/{number}). */
export async function registryCertificate(registry: TestRegistry, number: string): Promise<{ status: number; body: unknown }> {
  const answer = await registry.admin('GET', `/_admin/certificates/${number}`)
  return { status: answer.status, body: answer.status === 200 ? answer.json() : null }
}
