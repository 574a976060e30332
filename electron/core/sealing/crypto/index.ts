// The public API of sealing/crypto: callers import from here, whichever file the code lives in.
export {
  parseCertificate,
  sealCertificateProblems,
  KEY_USAGE_NAMES,
  type KeyUsageName,
  type SealCertificate,
  type SealKeyType,
} from './x509'
export {
  issueCertificate,
  spkiFromRsa,
  spkiFromEcPoint,
  ecdsaRawToDer,
  ecdsaDerToRaw,
  type CertificateSubject,
  type CertificateSignatureAlgorithm,
  type IssueCertificateOptions,
} from './certificate-builder'
export {
  signedAttributesFor,
  assembleSignedData,
  signingProfile,
  type AssembleInput,
  type CmsSigningProfile,
  type SignedAttributesInput,
} from './cms'
export { verifySignedData, type CmsCheck } from './cms-verify'
export {
  requestTimestamp,
  timestampRequest,
  verifyTimestampToken,
  readTstInfo,
  type TimestampCheck,
  type TimestampOptions,
  type TstInfo,
} from './timestamp'
export { DerError } from './der'
export { OID, type DigestName } from './oids'
