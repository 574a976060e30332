import type { Knex } from 'knex'
import type { ModuleSuggestion, TokenCertificateInfo, TokenSlotInfo } from '../../contract/sealing'
import type { SettingsService } from '../settings/settings-service'
import { certificateInfo } from '../seals/seal-records'
import { requireRole, type Actor } from '../users/access'
import { AppError } from '../util/app-error'
import type { Clock } from '../util/clock'
import { parseCertificate } from './crypto/x509'
import { suggestModules } from './pkcs11/module-suggestions'
import type { TokenSelector } from './pkcs11/protocol'
import type { TokenHost } from './pkcs11/token-host'

/**
 * PKCS#11 modules, slots and the certificates on tokens, for the sealing desk and the seal
 * registry. A module is a native library loaded into the app, so only paths a signed-in
 * sealer or admin configured (audited) or a vendor location present on disk are ever loaded.
 */
export class TokensService {
  constructor(
    private readonly db: Knex,
    private readonly settings: SettingsService,
    private readonly tokens: TokenHost,
    private readonly clock: Clock,
    private readonly suggestions: () => ModuleSuggestion[] = () => suggestModules(),
  ) {}

  async modules(actor: Actor | null): Promise<{ configured: string[]; suggestions: ModuleSuggestion[] }> {
    requireRole(actor, 'sealer', 'admin')
    return { configured: await this.settings.value('sealing.modules'), suggestions: this.suggestions() }
  }

  async setModules(actor: Actor | null, paths: string[]): Promise<string[]> {
    const user = requireRole(actor, 'sealer', 'admin')
    const unique = [...new Set(paths.map((path) => path.trim()))]
    await this.settings.write(user, 'sealing.modules', unique)
    return unique
  }

  /** Refuses a module path nobody configured: a renderer must not make the app load any library. */
  async allowedModule(modulePath: string): Promise<string> {
    const configured = await this.settings.value('sealing.modules')
    const suggested = this.suggestions().filter((suggestion) => suggestion.present)
    if (configured.includes(modulePath) || suggested.some((suggestion) => suggestion.path === modulePath)) return modulePath
    throw new AppError('VALIDATION', `PKCS#11 模块“${modulePath}”尚未配置：请先在“密钥模块”中添加`)
  }

  async slots(actor: Actor | null, modulePath: string): Promise<TokenSlotInfo[]> {
    requireRole(actor, 'sealer', 'admin')
    const slots = await this.tokens.listSlots(await this.allowedModule(modulePath))
    return slots.map((slot) => ({
      slotId: slot.slotId,
      description: slot.description,
      // A slot whose token was never initialised (SoftHSM's spare slot, a blank key) holds nothing to sign with.
      token:
        slot.token && slot.token.flags.tokenInitialized
          ? {
              label: slot.token.label,
              manufacturer: slot.token.manufacturer,
              model: slot.token.model,
              serial: slot.token.serial,
              flags: {
                loginRequired: slot.token.flags.loginRequired,
                countLow: slot.token.flags.userPinCountLow,
                finalTry: slot.token.flags.userPinFinalTry,
                locked: slot.token.flags.userPinLocked,
                toBeChanged: slot.token.flags.userPinToBeChanged,
              },
            }
          : null,
    }))
  }

  async certificates(actor: Actor | null, modulePath: string, token: TokenSelector): Promise<TokenCertificateInfo[]> {
    requireRole(actor, 'sealer', 'admin')
    const found = await this.tokens.listCertificates(await this.allowedModule(modulePath), token)
    const registered = (await this.db('seals').select('id', 'certificate_fingerprint')) as Array<{
      id: number
      certificate_fingerprint: string
    }>
    const sealByFingerprint = new Map(registered.map((row) => [row.certificate_fingerprint, row.id]))
    return found.flatMap((object) => {
      let certificate
      try {
        certificate = parseCertificate(object.der)
      } catch {
        return []
      }
      return [
        {
          ...certificateInfo(certificate, this.clock.now()),
          id: object.id,
          label: object.label,
          derBase64: object.der.toString('base64'),
          registeredSealId: sealByFingerprint.get(certificate.fingerprint) ?? null,
        },
      ]
    })
  }
}
