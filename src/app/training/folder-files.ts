/**
 * Files picked as a folder (input webkitdirectory) or dropped (folders walked
 * through the File System entries API), with paths relative to the folder the
 * user chose: "COVID/scan1.png" — the first part is then the class.
 */

export interface PickedFile {
  path: string;
  file: File;
}

export function filesFromInput(list: FileList | File[]): PickedFile[] {
  const files = Array.from(list);
  // A directory input always names the chosen folder first: it is not a class.
  const paths = files.map((f) => (f.webkitRelativePath || f.name).replace(/\\/g, '/'));
  const relative = paths.map((p) => {
    const parts = p.split('/');
    return parts.length > 1 ? parts.slice(1).join('/') : p;
  });
  return files.map((file, i) => ({ path: relative[i], file }));
}

type Entry = FileSystemEntry;

function readAllEntries(dir: FileSystemDirectoryEntry): Promise<Entry[]> {
  const reader = dir.createReader();
  const all: Entry[] = [];
  return new Promise((resolve, reject) => {
    // readEntries returns at most ~100 entries per call: read until it returns none.
    const next = () =>
      reader.readEntries((batch) => {
        if (!batch.length) resolve(all);
        else {
          all.push(...batch);
          next();
        }
      }, reject);
    next();
  });
}

function entryFile(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

async function walk(entry: Entry, out: PickedFile[]): Promise<void> {
  if (entry.isFile) out.push({ path: entry.fullPath.replace(/^\/+/, ''), file: await entryFile(entry as FileSystemFileEntry) });
  else if (entry.isDirectory) for (const child of await readAllEntries(entry as FileSystemDirectoryEntry)) await walk(child, out);
}

/**
 * Everything dropped, folders walked. One dropped folder is the dataset root;
 * several dropped folders are taken as the class folders themselves.
 */
export async function filesFromDrop(data: DataTransfer): Promise<PickedFile[]> {
  const entries = Array.from(data.items)
    .map((item) => (item.kind === 'file' ? item.webkitGetAsEntry?.() : null))
    .filter((e): e is Entry => !!e);
  const out: PickedFile[] = [];
  if (!entries.length) {
    for (const file of Array.from(data.files)) out.push({ path: file.name, file });
    return out;
  }
  for (const entry of entries) await walk(entry, out);
  const singleFolder = entries.length === 1 && entries[0].isDirectory;
  if (singleFolder) {
    const root = entries[0].name + '/';
    return out.map((p) => ({ ...p, path: p.path.startsWith(root) ? p.path.slice(root.length) : p.path }));
  }
  return out;
}

/** A CSV among the picked files at the folder's top level (e.g. labels.csv), if there is exactly one. */
export function rootCsv(files: PickedFile[]): PickedFile | undefined {
  const csvs = files.filter((f) => !f.path.includes('/') && /\.csv$/i.test(f.path));
  return csvs.length === 1 ? csvs[0] : undefined;
}
