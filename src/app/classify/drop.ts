/**
 * Files from a drop, folders included (a DICOM series usually arrives as a
 * folder). Paths inside a dropped folder are kept so two slices with the same
 * name in different folders stay apart.
 */
export async function filesFromDrop(dt: DataTransfer): Promise<File[]> {
  const entries = Array.from(dt.items ?? [])
    .filter((item) => item.kind === 'file')
    .map((item) => item.webkitGetAsEntry?.() ?? null);
  if (!entries.length || entries.some((e) => e === null)) return Array.from(dt.files);
  const out: File[] = [];
  for (const entry of entries as FileSystemEntry[]) await collect(entry, out);
  return out;
}

async function collect(entry: FileSystemEntry, out: File[]): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    const path = entry.fullPath.replace(/^\//, '');
    out.push(path.includes('/') ? new File([file], path, { type: file.type, lastModified: file.lastModified }) : file);
    return;
  }
  if (!entry.isDirectory) return;
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  // readEntries returns at most ~100 entries per call; read until empty.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (!batch.length) break;
    for (const child of batch.sort((a, b) => a.name.localeCompare(b.name))) await collect(child, out);
  }
}

/** Names a system or hidden file that is never an image (.DS_Store, Thumbs.db, DICOMDIR). */
export function isJunkFile(name: string): boolean {
  const base = name.split('/').pop() ?? name;
  return base.startsWith('.') || /^(thumbs\.db|desktop\.ini|dicomdir)$/i.test(base);
}
