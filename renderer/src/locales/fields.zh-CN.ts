/**
 * The labels of a certificate's fields (attachments 1 and 2), shared by the register's detail and
 * the legacy record; each adds its own wording of 职业/执业 and any field only it shows.
 */
export const certificateFieldsZhCN = {
  name: '姓名',
  gender: '性别',
  birthMonth: '出生年月',
  idType: '证件类型',
  idNumber: '证件号码',
  employer: '工作单位',
  level: '级别',
  titleName: '职称名称',
  specialty: '专业名称',
  reviewBody: '评审机构',
  obtainedOn: '取得职称时间',
  qualificationName: '资格名称',
  category: '专业类别',
  approvedOn: '批准日期',
}
