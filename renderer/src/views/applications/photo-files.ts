/** What a photo folder may hold: the ID-card photos as JPEG or PNG (core checks their bytes). */
const PHOTO_NAME = /\.(jpe?g|png)$/i

/**
 * A picked folder as one upload, which is one flat folder of bare names: hidden files (.DS_Store…)
 * left out, those `keep` refuses too, and the first of any two with the same name in different
 * subfolders kept.
 */
export function folderFiles(files: readonly File[], keep: (name: string) => boolean = () => true): File[] {
  const seen = new Set<string>()
  return files.filter((file) => {
    if (!keep(file.name) || file.name.startsWith('.') || seen.has(file.name)) return false
    seen.add(file.name)
    return true
  })
}

/**
 * The photos of a picked folder: image files only, since a folder from a camera or a file manager
 * also holds Thumbs.db and the like.
 */
export function photoFiles(files: readonly File[]): File[] {
  return folderFiles(files, (name) => PHOTO_NAME.test(name))
}
