/**
 * CPU-seconds this process has used, user and system, every thread (GC, libuv's pool, LevelDB):
 * rates per CPU-second are steadier than wall-clock rates on a loaded machine.
 */
export function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}
