/**
 * For dialog forms whose buttons sit in the footer, outside the <form>: Enter in a text field
 * submits, but not in a select (where Enter picks an option) or a textarea.
 */
export function submitOnEnter(submit: () => unknown): (event: KeyboardEvent) => void {
  return (event) => {
    const target = event.target
    if (!(target instanceof HTMLInputElement) || event.isComposing) return
    if (target.closest('.el-select, .el-select-v2, .el-cascader')) return
    void submit()
  }
}
