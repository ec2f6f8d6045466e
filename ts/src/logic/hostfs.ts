// The real file system, seen from SWI-Prolog compiled to WebAssembly.
//
// swipl-wasm runs on Emscripten's in-memory file system and its build leaves out Emscripten's
// NODEFS, so without this a goal such as `size_file(F, S)` or `exists_file(F)` would look at an
// empty virtual disk. This module is a small Emscripten file-system type whose operations go
// straight to node:fs, mounted at the host's own paths (`/work` at `/work`, `/tmp` at `/tmp`),
// so a path means the same file to Prolog as to the recipes. Nothing is cached beyond what
// Emscripten's name table keeps: every stat asks the host again, so files that recipes create,
// change or delete between two goals are seen as they are.
import fs from "node:fs";
import path from "node:path";

/** The parts of Emscripten's FS object this module uses (its own types are far wider). */
export interface EmscriptenFS {
  createNode(parent: FSNode | null, name: string, mode: number, dev?: number): FSNode;
  mount(type: { mount(m: Mount): FSNode }, opts: { root: string }, mountpoint: string): FSNode;
  mkdir(p: string, mode?: number): unknown;
  symlink(target: string, p: string): unknown;
  analyzePath(p: string, dontResolveLastLink?: boolean): { exists: boolean };
  isDir(mode: number): boolean;
  isFile(mode: number): boolean;
  isLink(mode: number): boolean;
  ErrnoError: new (errno: number) => Error;
}

interface Mount {
  opts: { root: string };
}

interface FSNode {
  parent: FSNode;
  name: string;
  mode: number;
  mount: Mount;
  node_ops: object;
  stream_ops: object;
}

interface FSStream {
  node: FSNode;
  flags: number;
  position: number;
  hostFd?: number;
}

/** Emscripten's errno numbers (musl's), by Node's error code. */
const ERRNO: Record<string, number> = {
  EPERM: 63,
  ENOENT: 44,
  EIO: 29,
  EBADF: 8,
  EAGAIN: 6,
  ENOMEM: 48,
  EACCES: 2,
  EBUSY: 10,
  EEXIST: 20,
  EXDEV: 75,
  ENODEV: 43,
  ENOTDIR: 54,
  EISDIR: 31,
  EINVAL: 28,
  EMFILE: 33,
  EFBIG: 22,
  ENOSPC: 51,
  ESPIPE: 70,
  EROFS: 69,
  EMLINK: 34,
  EPIPE: 64,
  ENOTEMPTY: 55,
  ELOOP: 32,
  ENAMETOOLONG: 37,
};

// Emscripten's open flags (Linux values), translated for node:fs.
const O_ACCMODE = 3;
const O_WRONLY = 1;
const O_RDWR = 2;
const O_APPEND = 1024;

/** Top-level host entries never mounted: Emscripten's own devices, and the library tree
 * SWI-Prolog boots from. */
const KEEP_VIRTUAL = new Set(["dev", "proc", "sys", "swipl"]);

function hostFlags(flags: number): number {
  const c = fs.constants;
  const access = flags & O_ACCMODE;
  let f = access === O_RDWR ? c.O_RDWR : access === O_WRONLY ? c.O_WRONLY : c.O_RDONLY;
  if (flags & O_APPEND) f |= c.O_APPEND;
  return f;
}

/** Makes the host file system visible to the Prolog instance at the same paths. Entries at the
 * root are mounted one by one (directories) or linked (symlinks such as /bin -> usr/bin). */
export function mountHostFileSystem(FS: EmscriptenFS): void {
  if (process.platform === "win32") return; // host paths do not map onto Emscripten's tree
  const type = hostFileSystem(FS);
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync("/", { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    if (KEEP_VIRTUAL.has(e.name)) continue;
    const at = "/" + e.name;
    try {
      if (e.isDirectory()) {
        if (!FS.analyzePath(at).exists) FS.mkdir(at);
        FS.mount(type, { root: at }, at);
      } else if (e.isSymbolicLink()) {
        if (!FS.analyzePath(at, true).exists) FS.symlink(fs.readlinkSync(at), at);
      }
    } catch {
      // An entry that cannot be mounted stays invisible to Prolog.
    }
  }
}

/** The file-system type: Emscripten calls `mount`, then the node and stream operations. */
function hostFileSystem(FS: EmscriptenFS): { mount(m: Mount): FSNode } {
  const fail = (e: unknown): never => {
    const code = (e as NodeJS.ErrnoException)?.code;
    if (code !== undefined) throw new FS.ErrnoError(ERRNO[code] ?? ERRNO.EIO!);
    throw e;
  };
  const guard = <T>(f: () => T): T => {
    try {
      return f();
    } catch (e) {
      return fail(e);
    }
  };

  /** The host path of a node: its names up to the mount root, below the mounted directory. */
  const hostPath = (node: FSNode): string => {
    const parts: string[] = [];
    let n = node;
    while (n.parent !== n) {
      parts.push(n.name);
      n = n.parent;
    }
    parts.push(n.mount.opts.root);
    return path.join(...parts.reverse());
  };

  const nodeOps = {
    getattr(node: FSNode) {
      const st = guard(() => fs.lstatSync(hostPath(node)));
      node.mode = st.mode; // a name may now be something else than when it was first looked up
      return {
        dev: st.dev,
        ino: st.ino,
        mode: st.mode,
        nlink: st.nlink,
        uid: st.uid,
        gid: st.gid,
        rdev: st.rdev,
        size: st.size,
        atime: st.atime,
        mtime: st.mtime,
        ctime: st.ctime,
        blksize: st.blksize,
        blocks: st.blocks,
      };
    },
    setattr(node: FSNode, attr: { mode?: number; atime?: number; mtime?: number; size?: number }) {
      const p = hostPath(node);
      guard(() => {
        if (attr.mode !== undefined && attr.mode !== null) fs.chmodSync(p, attr.mode & 0o7777);
        if (attr.mtime !== undefined && attr.mtime !== null) {
          const now = Date.now();
          fs.utimesSync(p, new Date(attr.atime ?? now), new Date(attr.mtime));
        }
        if (attr.size !== undefined) fs.truncateSync(p, attr.size);
      });
    },
    lookup(parent: FSNode, name: string) {
      const st = guard(() => fs.lstatSync(path.join(hostPath(parent), name)));
      return createNode(parent, name, st.mode);
    },
    mknod(parent: FSNode, name: string, mode: number) {
      const p = path.join(hostPath(parent), name);
      guard(() => {
        if (FS.isDir(mode)) fs.mkdirSync(p, mode & 0o7777);
        else if (FS.isFile(mode)) fs.closeSync(fs.openSync(p, "wx", mode & 0o7777));
        else throw Object.assign(new Error("unsupported node type"), { code: "EPERM" });
      });
      return createNode(parent, name, mode);
    },
    rename(node: FSNode, newDir: FSNode, newName: string) {
      guard(() => fs.renameSync(hostPath(node), path.join(hostPath(newDir), newName)));
      node.name = newName;
    },
    unlink(parent: FSNode, name: string) {
      guard(() => fs.unlinkSync(path.join(hostPath(parent), name)));
    },
    rmdir(parent: FSNode, name: string) {
      guard(() => fs.rmdirSync(path.join(hostPath(parent), name)));
    },
    readdir(node: FSNode) {
      return [".", "..", ...guard(() => fs.readdirSync(hostPath(node)))];
    },
    symlink(parent: FSNode, name: string, target: string) {
      guard(() => fs.symlinkSync(target, path.join(hostPath(parent), name)));
    },
    readlink(node: FSNode) {
      return guard(() => fs.readlinkSync(hostPath(node)));
    },
  };

  const streamOps = {
    open(stream: FSStream) {
      if (FS.isDir(stream.node.mode)) return; // directories are listed through readdir
      stream.hostFd = guard(() => fs.openSync(hostPath(stream.node), hostFlags(stream.flags)));
    },
    close(stream: FSStream) {
      if (stream.hostFd !== undefined) guard(() => fs.closeSync(stream.hostFd!));
      stream.hostFd = undefined;
    },
    read(stream: FSStream, buffer: Uint8Array, offset: number, length: number, position: number) {
      if (length === 0) return 0;
      return guard(() => fs.readSync(stream.hostFd!, buffer, offset, length, position));
    },
    write(stream: FSStream, buffer: Uint8Array, offset: number, length: number, position: number) {
      if (length === 0) return 0;
      return guard(() => fs.writeSync(stream.hostFd!, buffer, offset, length, position));
    },
    llseek(stream: FSStream, offset: number, whence: number) {
      let position = offset;
      if (whence === 1) position += stream.position;
      else if (whence === 2 && FS.isFile(stream.node.mode)) position += guard(() => fs.fstatSync(stream.hostFd!).size);
      if (position < 0) throw new FS.ErrnoError(ERRNO.EINVAL!);
      return position;
    },
  };

  function createNode(parent: FSNode | null, name: string, mode: number): FSNode {
    const node = FS.createNode(parent, name, mode);
    node.node_ops = nodeOps;
    node.stream_ops = streamOps;
    return node;
  }

  return {
    mount(m: Mount): FSNode {
      const st = guard(() => fs.statSync(m.opts.root));
      return createNode(null, "/", st.mode);
    },
  };
}
