import { readdirSync, readFileSync, readlinkSync } from "node:fs";

/**
 * Which of `pids` holds the TCP connection whose local port is `port` (Linux /proc): lets a test kill the
 * replica that sent a held request. undefined when none does (or not on Linux).
 */
export function processOwningPort(port: number, pids: readonly number[]): number | undefined {
  const inodes = socketInodesForLocalPort(port);
  if (inodes.size === 0) return undefined;
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (match && inodes.has(match[1]!)) return pid;
      } catch {
        // the fd closed meanwhile
      }
    }
  }
  return undefined;
}

function socketInodesForLocalPort(port: number): Set<string> {
  const inodes = new Set<string>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text: string;
    try {
      text = readFileSync(table, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const columns = line.trim().split(/\s+/);
      const local = columns[1];
      if (!local) continue;
      // local_address is HEXIP:HEXPORT; column 10 is the inode.
      if (parseInt(local.split(":")[1]!, 16) === port && columns[9] && columns[9] !== "0") inodes.add(columns[9]);
    }
  }
  return inodes;
}
