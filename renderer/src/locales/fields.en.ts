import type { certificateFieldsZhCN } from './fields.zh-CN'

/** A certificate's field labels in English. */
export const certificateFieldsEn: typeof certificateFieldsZhCN = {
  name: 'Name',
  gender: 'Gender',
  birthMonth: 'Birth month',
  idType: 'ID type',
  idNumber: 'ID number',
  employer: 'Employer',
  level: 'Level',
  titleName: 'Title',
  specialty: 'Specialty',
  reviewBody: 'Review body',
  obtainedOn: 'Obtained on',
  qualificationName: 'Qualification',
  category: 'Category',
  approvedOn: 'Approved on',
}
