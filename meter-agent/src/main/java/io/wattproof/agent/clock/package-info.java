/**
 * Whether the system clock that stamps records is synchronised to a time source, asked of the
 * host's time service without native code: the file systemd-timesyncd touches on each
 * synchronisation, systemd-timedated's view of the kernel clock ({@code timedatectl}), or chrony
 * ({@code chronyc tracking}). Parsing of their outputs is pure; the adapters only run a command or
 * look at a file. {@link io.wattproof.agent.clock.ClockSyncLatch} turns the answers into the
 * {@code CLOCK_UNSYNCED} quality flag of the records whose interval they fall in.
 */
package io.wattproof.agent.clock;
