// Names the platform the way napi-rs names its binaries and per-platform packages
// ("linux-x64-gnu", "darwin-arm64", "win32-x64-msvc"), so the loader can find
// tmake.<platform>.node in the package root and @tmake/native-<platform> in node_modules.

import { readFileSync } from "node:fs";

export type Libc = "glibc" | "musl";

/** Which C library this Linux process runs on. napi-rs builds separate binaries for each and a
 * glibc binary does not load under musl (nor the reverse), so guessing wrong costs the native
 * backend. Returns undefined off Linux. */
export function detectLibc(): Libc | undefined {
  if (process.platform !== "linux") return undefined;
  // The libraries mapped into this process name the C library: musl's is its own dynamic
  // loader (ld-musl-ARCH.so.1), glibc's is libc.so.6. Reading the map costs far less than the
  // process report below (several ms, on every run).
  try {
    const maps = readFileSync("/proc/self/maps", "utf8");
    if (maps.includes("/ld-musl-") || maps.includes("/libc.musl-")) return "musl";
    if (maps.includes("/libc.so.6")) return "glibc";
  } catch {
    // No /proc (a restricted container): ask the report.
  }
  // The process report names the glibc it runs on; musl builds of Node leave this out.
  // Skipping the network section keeps the report from doing reverse DNS lookups on open sockets.
  // (process.report.excludeNetwork exists from Node 20.13; @types/node 20 does not declare it.)
  if (process.report) (process.report as { excludeNetwork?: boolean }).excludeNetwork = true;
  const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string }; sharedObjects?: string[] } | undefined;
  if (report?.header?.glibcVersionRuntime) return "glibc";
  if (report?.sharedObjects?.some((so) => so.includes("libc.musl-") || so.includes("ld-musl-"))) return "musl";
  // Last resort: Alpine's ldd is a shell script that mentions musl.
  try {
    if (readFileSync("/usr/bin/ldd", "utf8").includes("musl")) return "musl";
  } catch {
    // No ldd: nothing more to learn; assume the common case below.
  }
  return "glibc";
}

/** The napi-rs "platformArchABI" of this process, e.g. "linux-x64-gnu". */
export function platformTriple(platform: NodeJS.Platform = process.platform, arch: string = process.arch, libc: Libc | undefined = detectLibc()): string {
  switch (platform) {
    case "linux": {
      if (arch === "arm") return `linux-arm-${libc === "musl" ? "musleabihf" : "gnueabihf"}`;
      return `linux-${arch}-${libc === "musl" ? "musl" : "gnu"}`;
    }
    case "win32":
      return `win32-${arch}-msvc`;
    default:
      // darwin, freebsd, ... carry no ABI suffix.
      return `${platform}-${arch}`;
  }
}
