/** What a photo folder may hold: the ID-card photos as JPEG or PNG (core checks their bytes). */
const PHOTO_NAME = /\.(jpe?g|png)$/i

/**
 * The photos of a picked folder: image files only (a folder from a camera or a file manager also
 * holds Thumbs.db, .DS_Store and the like), and the first of any two with the same name in
 * different subfolders, since an upload is one flat folder of bare names.
 */
export function photoFiles(files: readonly File[]): File[] {
  const seen = new Set<string>()
  return files.filter((file) => {
    if (!PHOTO_NAME.test(file.name) || file.name.startsWith('.') || seen.has(file.name)) return false
    seen.add(file.name)
    return true
  })
}
