import { readFileSync } from 'node:fs'
import { createDocumentRenderer } from '../electron/core/documents'
async function main() {
  const photo = new Uint8Array(readFileSync('resources/demo/photo-1.jpg'))
  const r = await createDocumentRenderer()
  const input = (i: number) => ({ number: `2025WSHL${String(i).padStart(5, '0')}`, fields: { name: '王丽华', gender: '女' as const, birthMonth: '1985-03', idType: '居民身份证', idNumber: '310101198503120022', employer: '上海市第一人民医院', level: 'senior' as const, titleName: '副主任护师', specialty: '护理学', reviewBody: '上海市卫生系列护理专业高级职称评审委员会', obtainedOn: '2025-12-20' }, photo: { bytes: photo, type: 'jpeg' as const }, verifyBaseUrl: 'https://x.invalid/c', issuer: 'X', seals: [{ slot: 'single' as const, organisationName: '上海市人力资源和社会保障局' }], issuedOn: '2025-12-26' })
  for (let i = 0; i < 20; i++) await r.renderTitleCertificate(input(i))
  const t = Date.now(); const n = 200
  for (let i = 0; i < n; i++) await r.renderTitleCertificate(input(i))
  console.log('docs/s', (n / (Date.now() - t)) * 1000)
}
main()
